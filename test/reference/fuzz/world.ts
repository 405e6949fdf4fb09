import { DatabaseSync } from 'node:sqlite'
import { request } from 'undici'
import { CONTROL_HEADER, type RunningReference } from '../../../reference/index.ts'
import { envelope, soapHeaders, type Identities } from './templates.ts'

/**
 * The users the fuzzer acts as and the users it must never be able to change. The fuzzer holds valid
 * credentials of one ordinary user per API (so malformed requests get past authentication and reach deep code),
 * and every other user is out of its reach: a member, a MailboxUser, an Administrator of another organisation.
 */
export interface World {
  ids: Identities
  /** Keys of the rows the fuzzer may legitimately change (its own user, its organisation's users). */
  own: { irUser: string; ecUserId: number; lmOrganisationId: number }
  /** The protected LogicMelon administrator, for the check that the service still answers. */
  other: { username: string; password: string; apiKey: string; userId: string }
}

async function provision(ref: RunningReference, api: string, body: Record<string, string>): Promise<Record<string, string>> {
  const r = await request(`${ref.url}/__reference/${api}/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CONTROL_HEADER]: ref.controlKey },
    body: JSON.stringify(body),
  })
  const text = await r.body.text()
  if (r.statusCode !== 201) throw new Error(`provisioning ${api}: ${r.statusCode} ${text}`)
  return JSON.parse(text) as Record<string, string>
}

export async function soap(ref: RunningReference, call: Parameters<typeof envelope>[1]): Promise<string> {
  const r = await request(`${ref.url}${call.path}`, { method: 'POST', headers: soapHeaders('1.1', call), body: envelope('1.1', call) })
  return r.body.text()
}

export async function makeWorld(ref: RunningReference): Promise<World> {
  const ir = { api: 'inforouter' as const, path: '/srv.asmx', namespace: 'http://tempuri.org/' }
  await provision(ref, 'inforouter', { userName: 'fuzzer', password: 'Fuzz-pw-1', role: 'member', email: 'fuzzer@example.com' })
  await provision(ref, 'inforouter', { userName: 'victim', password: 'Victim-pw-1', role: 'member', email: 'victim@example.com', mobileNumber: '15550002222' })
  await provision(ref, 'inforouter', { userName: 'boss', password: 'Boss-pw-1', role: 'sysadmin', email: 'boss@example.com' })
  const login = await soap(ref, { ...ir, operation: 'AuthenticateUser', params: { UID: 'fuzzer', PWD: 'Fuzz-pw-1' } })
  const ticket = /ticket="([^"]+)"/.exec(login)?.[1]
  if (!ticket) throw new Error(`fuzzer could not log in to infoRouter: ${login}`)

  const f = await provision(ref, 'ecgridos', {
    login: 'fuzzer',
    password: 'Fuzz-pw-1',
    role: 'MailboxUser',
    group: 'fz',
    firstName: 'Fuzz',
    lastName: 'Er',
    email: 'fuzzer@example.com',
  })
  const v = await provision(ref, 'ecgridos', {
    login: 'victim',
    password: 'Victim-pw-1',
    role: 'MailboxUser',
    group: 'fz',
    firstName: 'Vic',
    lastName: 'Tim',
    email: 'victim@example.com',
  })
  await provision(ref, 'ecgridos', {
    login: 'netadmin',
    password: 'Net-pw-1',
    role: 'NetworkAdmin',
    group: 'other',
    firstName: 'Net',
    lastName: 'Admin',
    email: 'net@example.com',
  })
  const eo = { api: 'ecgridos' as const, path: '/v4.1/prod/ECGridOS.asmx', namespace: 'http://www.ecgridos.net/' }
  const session = /<LoginResult>([^<]+)<\/LoginResult>/.exec(
    await soap(ref, { ...eo, operation: 'Login', params: { UserName: 'fuzzer', Password: 'Fuzz-pw-1' } }),
  )?.[1]
  if (!session) throw new Error('fuzzer could not log in to ECGridOS')

  const l1 = await provision(ref, 'logicmelon', { username: 'fuzzadmin', password: 'Fuzz-pw-1', role: 'Administrator', group: 'g1', firstName: 'Fuzz' })
  await provision(ref, 'logicmelon', { username: 'fuzzrecruiter', password: 'Fuzz-pw-2', role: 'Recruiter', group: 'g1' })
  const l2 = await provision(ref, 'logicmelon', { username: 'otheradmin', password: 'Other-pw-1', role: 'Administrator', group: 'g2', firstName: 'Other' })
  const r2 = await provision(ref, 'logicmelon', { username: 'otherrecruiter', password: 'Other-pw-2', role: 'Recruiter', group: 'g2', email: 'r2@example.com' })
  return {
    ids: {
      inforouter: { userName: 'fuzzer', password: 'Fuzz-pw-1', ticket, victim: 'victim' },
      ecgrid: { login: 'fuzzer', password: 'Fuzz-pw-1', session, userId: f.userId!, apiKey: f.apiKey!, victimId: v.userId! },
      logicmelon: { apiKey: l1.apiKey!, username: 'fuzzadmin', password: 'Fuzz-pw-1', victimId: r2.userId!, victimOrganisationId: r2.organisationId! },
    },
    own: { irUser: 'fuzzer', ecUserId: Number(f.userId), lmOrganisationId: Number(l1.organisationId) },
    other: { username: 'otheradmin', password: 'Other-pw-1', apiKey: l2.apiKey!, userId: l2.userId! },
  }
}

export type Rows = Record<string, Array<Record<string, unknown>>>

/** Every row of the user and organisation tables, read from the reference's database file. */
export function readStore(file: string): Rows {
  const db = new DatabaseSync(file, { readOnly: true })
  try {
    const all = (sql: string) => db.prepare(sql).all() as Array<Record<string, unknown>>
    return {
      ir_users: all('SELECT * FROM ir_users ORDER BY user_id'),
      ec_users: all('SELECT * FROM ec_users ORDER BY user_id'),
      lm_users: all('SELECT * FROM lm_users ORDER BY UserID'),
      lm_organisations: all('SELECT * FROM lm_organisations ORDER BY organisation_id'),
    }
  } finally {
    db.close()
  }
}

/** What changed that the fuzzer had no right to change: protected rows that differ or vanished, rows it added where it may not. */
export function trespasses(before: Rows, after: Rows, own: World['own']): string[] {
  const out: string[] = []
  const mine: Record<string, (row: Record<string, unknown>) => boolean> = {
    ir_users: (r) => r.user_name === own.irUser,
    ec_users: (r) => Number(r.user_id) === own.ecUserId,
    lm_users: (r) => Number(r.OrganisationID) === own.lmOrganisationId,
    lm_organisations: () => false,
  }
  const key = (_table: string, r: Record<string, unknown>) => String(r.user_id ?? r.UserID ?? r.organisation_id)
  for (const table of Object.keys(before)) {
    const now = new Map(after[table]!.map((r) => [key(table, r), r]))
    for (const row of before[table]!) {
      if (mine[table]!(row)) continue
      const later = now.get(key(table, row))
      if (!later) out.push(`${table} ${key(table, row)} was deleted`)
      else if (JSON.stringify(later) !== JSON.stringify(row)) out.push(`${table} ${key(table, row)} changed: ${JSON.stringify(row)} → ${JSON.stringify(later)}`)
    }
    const old = new Set(before[table]!.map((r) => key(table, r)))
    for (const row of after[table]!)
      if (!old.has(key(table, row)) && !mine[table]!(row)) out.push(`${table} ${key(table, row)} was added outside the fuzzer's reach: ${JSON.stringify(row)}`)
  }
  return out
}

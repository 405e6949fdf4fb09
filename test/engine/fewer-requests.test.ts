import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { beforeEach, describe, expect, test } from 'vitest'
import { loginBinding } from '../../src/engine/authenticate.ts'
import { CheckExecution } from '../../src/engine/check-execution.ts'
import { Runner } from '../../src/engine/runner.ts'
import { readJournal, type SnapshotEvent } from '../../src/engine/journal.ts'
import { planChecks, type Check } from '../../src/engine/plan.ts'
import type { CheckResult, ExchangePurpose } from '../../src/engine/result.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'
import { loadProject } from '../../src/project.ts'
import { type Staging, useStaging } from '../helpers/staging.ts'

/**
 * A check sends only what it needs (against a staging-like target: fixture accounts behind a counting proxy):
 * no restore when its last read shows the user as the snapshot; a snapshot from the run's last verified state of an
 * account it has held since; one login per caller, a session the target ended re-established. Each shortcut keeps the
 * user as it began and the journal as it was (a snapshot before any write, every user restored).
 */
const project = loadProject()
let s!: Staging
useStaging(
  (started) => {
    s = started
  },
  { env: true },
)

let journalNo = 0
function runner(): { runner: Runner; target: ResolvedTarget; journal: string } {
  const target: ResolvedTarget = {
    name: 'staging',
    allowWrites: true,
    limits: { concurrency: 2, timeoutMs: 10_000, maxBodyBytes: 2_000_000 },
    apis: { inforouter: { baseUrl: s.url, fixtures: s.accounts.inforouter! } },
  }
  const journal = join(s.dir, `journal-${++journalNo}.jsonl`)
  return {
    runner: new Runner({ target, apis: project.apis, catalogue: project.catalogue, seed: 7, journal: { file: journal, pid: process.pid } }),
    target,
    journal,
  }
}

const check = (target: ResolvedTarget, id: string, binding = 'soap11'): Check => {
  const [c] = planChecks(project, target, { specs: [`inforouter.${id}`], bindings: [binding as Check['binding']] })
  if (!c) throw new Error(`no check ${id} over ${binding}`)
  return c
}

const purposes = (r: CheckResult, step: string): Array<ExchangePurpose | undefined> =>
  r.steps.filter((st) => st.name === step).flatMap((st) => st.exchanges.map((i) => r.exchanges[i]!.purpose))
const failures = (r: CheckResult) => r.failures.map((f) => f.message)
const snapshotsOf = (journal: string) => readJournal(journal).events.filter((e): e is SnapshotEvent => e.event === 'snapshot')
const member = (n: number) => s.accounts.inforouter!.member![n]!.userName!

/** Writes the database file directly: another writer the run does not know of. */
function writeDb(sql: string, ...params: Array<string | number>): void {
  const db = new DatabaseSync(s.dbFile)
  try {
    db.prepare(sql).run(...params)
  } finally {
    db.close()
  }
}

let before: ReturnType<Staging['users']>
beforeEach(() => {
  s.onAnswered = undefined
  s.dropWrites = false
  before = s.users()
})

describe('the restore', () => {
  test('sends nothing when the check read its users after its call and they are as the snapshot has them; the journal still says restored', async () => {
    const { runner: r, target, journal } = runner()
    const writesBefore = s.writes.length
    const result = await r.run(check(target, 'update-user-email.member-cannot-update-others'))
    await r.close()
    expect(result.status, failures(result).join('\n')).toBe('passed')
    expect(purposes(result, 'read back')).toEqual(['read back', 'read back'])
    expect(purposes(result, 'restore')).toEqual([])
    // The refused update is the only write the target saw.
    expect(s.writes.length - writesBefore).toBe(1)
    const events = readJournal(journal).events
    expect(events.filter((e) => e.event === 'snapshot').length).toBe(2)
    expect(events.filter((e) => e.event === 'restored').length).toBe(2)
    expect(s.users()).toEqual(before)
  })

  test('writes and verifies when the last read differs from the snapshot', async () => {
    const { runner: r, target, journal } = runner()
    const result = await r.run(check(target, 'update-user-email.updates-own-email'))
    await r.close()
    expect(result.status, failures(result).join('\n')).toBe('passed')
    // UpdateUserEmail sets only the e-mail, and the restore call writes the mobile number too: a look first.
    expect(purposes(result, 'restore')).toEqual(['restore read', 'restore write', 'restore read'])
    expect(readJournal(journal).events.map((e) => e.event)).toEqual(['snapshot', 'restored'])
    expect(s.users()).toEqual(before)
  })

  test('writes at once, then verifies, when the restore call can only touch fields the check could set', async () => {
    const { runner: r, target } = runner()
    const result = await r.run(check(target, 'update-user-contact-info.updates-both-fields'))
    await r.close()
    expect(result.status, failures(result).join('\n')).toBe('passed')
    expect(purposes(result, 'restore')).toEqual(['restore write', 'restore read'])
    expect(s.users()).toEqual(before)
  })

  test('a target that silently drops the write: the check fails, nothing needs putting back, the user is as it began', async () => {
    s.dropWrites = true
    const { runner: r, target } = runner()
    const result = await r.run(check(target, 'update-user-email.updates-own-email'))
    await r.close()
    expect(result.status).toBe('failed')
    expect(failures(result).join('\n')).toMatch(/email/)
    expect(purposes(result, 'restore')).toEqual([])
    expect(s.users()).toEqual(before)
  })

  test("a read counts as the user's last only when the check sent nothing after it", async () => {
    const { runner: r, target } = runner()
    const c = check(target, 'update-user-email.updates-own-email')
    const run = new CheckExecution(c, r.env, {})
    const reader = (await r.env.reader('inforouter')).token
    const jane = { ...s.accounts.inforouter!.member![0]!, userName: member(0) }
    const first = await run.readBack('soap11', jane, reader)
    expect(run.finalRead(jane)).toEqual(first)
    await run.call(
      'soap11',
      { operation: 'UpdateUserContactInfo', params: { userName: member(0), emailAddress: first.email, mobileNumber: first.mobileNumber } },
      reader,
      'suite',
      'restore write',
    )
    expect(run.finalRead(jane)).toBeUndefined()
    const again = await run.readBack('soap11', jane, reader)
    expect(run.finalRead(jane)).toEqual(again)
    expect(run.exchanges.map((x) => x.purpose)).toEqual(['read back', 'restore write', 'read back'])
    await r.close()
    expect(s.users()).toEqual(before)
  })
})

describe('the snapshot', () => {
  test('of an account the run holds again is the state the run last verified: no read, the same journal line', async () => {
    const { runner: r, target, journal } = runner()
    const first = await r.run(check(target, 'update-user-email.updates-own-email'))
    const second = await r.run(check(target, 'update-user-email.updates-own-email', 'http-get'))
    await r.close()
    for (const x of [first, second]) expect(x.status, failures(x).join('\n')).toBe('passed')
    expect(purposes(first, 'snapshot')).toEqual(['snapshot'])
    expect(purposes(second, 'snapshot')).toEqual([])
    expect(second.steps.find((st) => st.name === 'snapshot')?.detail).toMatch(/as the run last verified, no read/)
    const [a, b] = snapshotsOf(journal)
    expect(b!.user).toBe(a!.user)
    expect(b!.state).toEqual(a!.state)
    expect(readJournal(journal).events.filter((e) => e.event === 'restored').length).toBe(2)
    expect(s.users()).toEqual(before)
  })

  test('is read afresh after a check found the account written by someone else', async () => {
    const { runner: r, target, journal } = runner()
    const first = await r.run(check(target, 'update-user-email.updates-own-email'))
    expect(first.status, failures(first).join('\n')).toBe('passed')
    const jane = snapshotsOf(journal)[0]!.user
    // The second check's read back after its update: answered as the reference had the user, then someone else
    // changes the mobile number (which UpdateUserEmail cannot set) before the check restores.
    let updated = false
    const foreign = '15559990000'
    s.onAnswered = (seen) => {
      if (seen.operation === 'UpdateUserEmail') updated = true
      else if (updated && seen.operation === 'GetUser') {
        updated = false
        writeDb('UPDATE ir_users SET mobile_number = ? WHERE user_name = ?', foreign, jane)
      }
    }
    const second = await r.run(check(target, 'update-user-email.updates-own-email'))
    s.onAnswered = undefined
    expect(second.status).toBe('failed')
    expect(second.message).toMatch(/INTERFERED: user \S+ field mobileNumber changed by someone else/)
    const third = await r.run(check(target, 'update-user-email.updates-own-email', 'http-get'))
    await r.close()
    expect(third.status, failures(third).join('\n')).toBe('passed')
    const snapshots = snapshotsOf(journal)
    expect(snapshots.map((e) => e.user)).toEqual([jane, jane, jane])
    // Read, not taken from what the run knew: it shows the other writer's value.
    expect(purposes(third, 'snapshot')).toEqual(['snapshot'])
    expect(snapshots[2]!.state.mobileNumber).toBe(foreign)
    writeDb('UPDATE ir_users SET mobile_number = ? WHERE user_name = ?', String(snapshots[0]!.state.mobileNumber), jane)
    expect(s.users()).toEqual(before)
  })
})

describe('what the preflight learnt of an account (Runner.knowAccount)', () => {
  test("is the first check's snapshot and its caller's session: neither is sent again; accounts the API does not list are ignored", async () => {
    const { runner: r, target, journal } = runner()
    const c = check(target, 'update-user-email.updates-own-email')
    // What a preflight does: read the account back with the reader, log it in.
    const { runner: pre } = runner()
    const look = new CheckExecution(c, pre.env, {})
    const raw = s.accounts.inforouter!.member![0]!
    const jane = { userName: member(0), password: s.env[/\$\{env:(\w+)\}/.exec(raw.password!)![1]!]! }
    const state = await look.readBack('soap11', jane, (await pre.env.reader('inforouter')).token)
    const token = await new CheckExecution(c, r.env, {}).login('soap11', jane)
    await pre.close()
    r.knowAccount('inforouter', { userName: 'someone-else', password: 'x' }, { state: { email: 'not@this.one' } })
    r.knowAccount('logicmelon', raw, { state: { email: 'not@this.one' } })
    expect(r.env.known!.size).toBe(0)
    r.knowAccount('inforouter', raw, { state, session: { binding: 'soap11', token } })
    const result = await r.run(c)
    await r.close()
    expect(result.status, failures(result).join('\n')).toBe('passed')
    expect(purposes(result, 'authenticate')).toEqual([])
    expect(purposes(result, 'snapshot')).toEqual([])
    expect(snapshotsOf(journal).map((e) => [e.user, e.state])).toEqual([[member(0), state]])
    expect(s.users()).toEqual(before)
  })
})

/** What the preflight does for the reader account (infoRouter's first sysadmin): logs it in, hands the session over. */
async function readerSessionKnown(r: Runner, c: Check) {
  const raw = s.accounts.inforouter!.sysadmin![0]!
  const admin = { userName: raw.userName!, password: s.env[/\$\{env:(\w+)\}/.exec(raw.password!)![1]!]! }
  // Over the binding the preflight logs in with (the API's login binding).
  const binding = loginBinding(project.apis.get('inforouter')!, undefined, undefined)!
  const token = await new CheckExecution(c, r.env, {}).login(binding, admin)
  r.knowAccount('inforouter', raw, { session: { binding, token } })
  return { admin, token }
}

describe("the reader's session the preflight opened", () => {
  test("is the run's reader: no login before the first check, reads and restores with it", async () => {
    const { runner: r, target } = runner()
    const c = check(target, 'update-user-email.updates-own-email')
    const { admin, token } = await readerSessionKnown(r, c)
    const seenBefore = s.seen.length
    const result = await r.run(c)
    const readerLogins = s.seen.slice(seenBefore).filter((x) => x.operation === 'AuthenticateUser' && x.sent.includes(admin.userName))
    await r.close()
    expect(result.status, failures(result).join('\n')).toBe('passed')
    expect(readerLogins).toEqual([])
    // Reads and the restore went through with the kept ticket.
    expect(s.seen.slice(seenBefore).filter((x) => x.operation === 'GetUser' && x.sent.includes(token as string)).length).toBeGreaterThan(0)
    expect(s.users()).toEqual(before)
  })

  test('a check acting as the reader account logs in on its own: the reader keeps its session', async () => {
    const { runner: r, target } = runner()
    const c = check(target, 'update-user-email.admin-updates-anyone')
    const { token } = await readerSessionKnown(r, c)
    const seenBefore = s.seen.length
    const result = await r.run(c)
    await r.close()
    expect(result.status, failures(result).join('\n')).toBe('passed')
    expect(purposes(result, 'authenticate')).toEqual(['login'])
    // As sent (the proxy's view, unredacted): the check's call carries a ticket of its own, the reads the reader's.
    const seen = s.seen.slice(seenBefore)
    const calls = seen.filter((x) => x.operation === 'UpdateUserEmail')
    expect(calls.length).toBe(1)
    expect(calls[0]!.sent).not.toContain(token as string)
    expect(seen.some((x) => x.operation === 'GetUser' && x.sent.includes(token as string))).toBe(true)
    expect(s.users()).toEqual(before)
  })
})

describe("the caller's session", () => {
  test('is logged in once and kept for the next check of the same account', async () => {
    const { runner: r, target } = runner()
    const first = await r.run(check(target, 'update-user-email.updates-own-email'))
    const second = await r.run(check(target, 'update-user-email.updates-own-email', 'http-get'))
    await r.close()
    for (const x of [first, second]) expect(x.status, failures(x).join('\n')).toBe('passed')
    expect(purposes(first, 'authenticate')).toEqual(['login'])
    expect(purposes(second, 'authenticate')).toEqual([])
    expect(second.steps.find((st) => st.name === 'authenticate')?.detail).toMatch(/jane's session kept from an earlier check/)
    expect(s.users()).toEqual(before)
  })

  test('that the target ended meanwhile is re-established: the call is sent again with a new one, nothing reported', async () => {
    const { runner: r, target } = runner()
    const first = await r.run(check(target, 'update-user-email.updates-own-email'))
    expect(first.status, failures(first).join('\n')).toBe('passed')
    // Every ticket of the first member ages past its lifetime (the reader, a sysadmin, keeps its own).
    writeDb('UPDATE ir_tickets SET last_used_ms = 0 WHERE user_id = (SELECT user_id FROM ir_users WHERE user_name = ?)', member(0))
    const second = await r.run(check(target, 'update-user-email.updates-own-email', 'http-get'))
    await r.close()
    expect(second.status, failures(second).join('\n')).toBe('passed')
    expect(purposes(second, 'authenticate')).toEqual([])
    // The refused call, a look at the user (nothing applied), a login, the call again.
    expect(purposes(second, 'call')).toEqual(['call', 'session check', 'login', 'call'])
    expect(s.users()).toEqual(before)
  })

  test('is not taken by a check about sessions, and what such a check does ends its reuse', async () => {
    const { runner: r, target } = runner()
    const first = await r.run(check(target, 'update-user-email.updates-own-email'))
    const aboutSessions = await r.run(check(target, 'update-user-email.logged-out-ticket'))
    const third = await r.run(check(target, 'update-user-email.updates-own-email', 'http-get'))
    await r.close()
    for (const x of [first, aboutSessions, third]) expect(x.status, failures(x).join('\n')).toBe('passed')
    expect(purposes(aboutSessions, 'authenticate')).toEqual(['login'])
    expect(purposes(third, 'authenticate')).toEqual(['login'])
    expect(s.users()).toEqual(before)
  })
})

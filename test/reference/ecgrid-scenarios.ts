/**
 * Deviation scenarios for the ECGrid family, shared by the SOAP and REST scenario tables. Each scenario
 * observes one thing; against the plain reference it shows the documented behaviour, against a reference
 * with the deviation it shows that the wrapper changed it as described.
 */
import { uniqueName } from './helpers.ts'
import type { EcFixture, EcgridClient, Role } from './ecgrid-helpers.ts'

export interface Scenario {
  readonly run: (ec: EcgridClient) => Promise<unknown>
  readonly plain: unknown
  readonly deviant: unknown
}

export const ISO_LOCAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/
/** An xs:dateTime at second precision, with or without a zone. */
const XS_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?$/
export const DMY = /^\d\d\/\d\d\/\d{4} \d\d:\d\d$/
export const shape = (text: unknown): string => (XS_DATE_TIME.test(String(text)) ? 'xs:dateTime' : DMY.test(String(text)) ? 'dd/MM/yyyy HH:mm' : String(text))
/** The instant of an xs:dateTime in ms, an unzoned one taken as UTC (as the suite takes it). */
export const instantMs = (text: unknown): number => Date.parse(ISO_LOCAL.test(String(text)) ? `${String(text)}Z` : String(text))

/** A MailboxAdmin with a session, and a MailboxUser in the same mailbox. */
export async function adminAndTarget(ec: EcgridClient): Promise<{ admin: EcFixture; target: EcFixture; session: string }> {
  const group = uniqueName('dev')
  const admin = await ec.provision({ role: 'MailboxAdmin', group })
  const target = await ec.provision({ role: 'MailboxUser', group })
  return { admin, target, session: await ec.login(admin) }
}

export async function soapUpdate(ec: EcgridClient, fields: Record<string, string | null> = { FirstName: 'New' }) {
  const { admin, target, session } = await adminAndTarget(ec)
  const answer = await ec.call('1.1', 'UserUpdate', { SessionID: session, UserID: String(target.userId), ...fields })
  const info = await ec.userInfo(session, target.userId)
  return { admin, target, session, answer: (answer.result ?? {}) as Record<string, string>, info, raw: answer }
}

export async function restUpdate(ec: EcgridClient, body: Record<string, unknown> = { firstName: 'New' }) {
  const { admin, target } = await adminAndTarget(ec)
  const answer = await ec.put(admin.apiKey, { userId: target.userId, ...body })
  return { admin, target, answer, after: await ec.read(target) }
}

/** Where the target user sits relative to the caller: the caller itself, its mailbox, another mailbox, another network. */
export type Reach = 'self' | 'mailbox' | 'other-mailbox' | 'other-network'

/**
 * Whether a caller of `role` may update a user at `reach`, through one face: 'ok' or the refusal's code (the
 * ECGridOS detail code, or the REST errorCode).
 */
export async function mayUpdate(ec: EcgridClient, face: 'soap' | 'rest', role: Role, reach: Reach): Promise<string> {
  const group = uniqueName('scope')
  const caller = await ec.provision({ role, group })
  const target = reach === 'self' ? caller : await ec.provision({ group, ...(reach === 'mailbox' ? {} : { placement: reach }) })
  if (face === 'rest') {
    const answer = await ec.put(caller.apiKey, { userId: target.userId, firstName: 'Scoped' })
    return answer.status === 200 ? 'ok' : String(answer.json.errorCode)
  }
  const session = await ec.login(caller)
  const answer = await ec.call('1.1', 'UserUpdate', { SessionID: session, UserID: String(target.userId), FirstName: 'Scoped' })
  return answer.fault ? String(answer.fault.errorCode) : 'ok'
}

/** `mayUpdate` for each [role, reach] pair, keyed `role→reach`. */
export async function scopeTable(ec: EcgridClient, face: 'soap' | 'rest', pairs: ReadonlyArray<readonly [Role, Reach]>): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const [role, reach] of pairs) out[`${role}→${reach}`] = await mayUpdate(ec, face, role, reach)
  return out
}

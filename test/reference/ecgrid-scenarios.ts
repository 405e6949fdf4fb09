/**
 * Deviation scenarios for the ECGrid family, shared by the SOAP and REST scenario tables. Each scenario
 * observes one thing; against the plain reference it shows the documented behaviour, against a reference
 * with the deviation it shows that the wrapper changed it as described.
 */
import { uniqueName } from './helpers.ts'
import type { EcFixture, EcgridClient } from './ecgrid-helpers.ts'

export interface Scenario {
  readonly run: (ec: EcgridClient) => Promise<unknown>
  readonly plain: unknown
  readonly deviant: unknown
}

export const ISO_LOCAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/
export const DMY = /^\d\d\/\d\d\/\d{4} \d\d:\d\d$/
export const shape = (text: unknown): string => (ISO_LOCAL.test(String(text)) ? 'xs:dateTime' : DMY.test(String(text)) ? 'dd/MM/yyyy HH:mm' : String(text))

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

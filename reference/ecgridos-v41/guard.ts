/**
 * The checks UserInfo and UserUpdate make, in order: session, user, authority. A SessionID is a session Login
 * opened and Logout has not ended, or the user's API key, which "is treated as a persistent Session ID" (wiki
 * "Users & Authorization Levels", api-facts §1.4). Who may act on whom is D4, as for the seed profile (the wiki:
 * "Access to a User's info is based on the current Session Authorization Level").
 */
import type { Params } from '../asmx/types.ts'
import type { EcUser } from '../ecgrid/users.ts'
import { touchUser } from '../observe/load.ts'
import type { ElContext } from './context.ts'
import { ACCESS_DENIED, INVALID_SESSION, NOT_FOUND, elFault } from './faults.ts'
import type { UserView } from './user-info.ts'

/** The caller behind a SessionID (a session or an API key); anything else is an Invalid SessionID fault. */
export function callerOf(ctx: ElContext, sessionId: string | null): EcUser {
  const check = ctx.sessions.verify(sessionId)
  const caller =
    check.kind === 'valid' ? ctx.users.findById(check.userId) : sessionId === null || sessionId === '' ? undefined : ctx.users.findByApiKey(sessionId)
  if (caller === undefined) throw elFault(INVALID_SESSION, 'SessionID', 'The SessionID is not valid or has expired.')
  return caller
}

/** An int parameter left out or nil reads as 0, as XmlSerializer reads a value type. */
export const intParam = (value: string | null | undefined): number => (value === null || value === undefined ? 0 : Number(value))

/** Session, then user, then authority: the user the caller may act on. */
export function accessibleTarget(ctx: ElContext, params: Params): { readonly caller: EcUser; readonly target: EcUser } {
  const caller = callerOf(ctx, params.SessionID ?? null)
  const userId = intParam(params.UserID)
  touchUser('ecgrid', userId)
  const target = ctx.users.findById(userId)
  if (target === undefined) throw elFault(NOT_FOUND, 'UserID', `User ${userId} not found.`)
  if (!ctx.access.mayActOn(caller, target)) throw elFault(ACCESS_DENIED, 'UserID', 'The session has no authority over this user.')
  return { caller, target }
}

export function viewOf(ctx: ElContext, user: EcUser): UserView {
  return { user, details: ctx.details.get(user.id), openSessions: ctx.details.openSessions(user.id) }
}

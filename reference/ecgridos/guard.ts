/**
 * The checks UserInfo and UserUpdate make, in order: session, user, authority. Each throws the ECGridOS
 * fault for its failure. (A UserID that is not an int never gets here: the framework refuses it.)
 */
import type { Params } from '../asmx/types.ts'
import type { EcUser } from '../ecgrid/users.ts'
import type { EoContext } from './context.ts'
import { touchUser } from '../observe/load.ts'
import { ACCESS_DENIED, INVALID_SESSION, USER_NOT_FOUND, ecgridosFault } from './faults.ts'

/** The caller behind a SessionID: missing, nil, empty, unknown or logged out is `Invalid SessionID`. */
export function callerOf(ctx: EoContext, sessionId: string | null): EcUser {
  const check = ctx.sessions.verify(sessionId)
  const caller = check.kind === 'valid' ? ctx.users.findById(check.userId) : undefined
  if (caller === undefined) throw ecgridosFault('Authentication', INVALID_SESSION)
  return caller
}

/** An int parameter left out or nil reads as 0, as XmlSerializer reads a value type. */
export const intParam = (value: string | null | undefined): number => (value === null || value === undefined ? 0 : Number(value))

export function targetOf(ctx: EoContext, userId: number): EcUser {
  touchUser('ecgrid', userId)
  const target = ctx.users.findById(userId)
  if (target === undefined) throw ecgridosFault('ObjectNotFound', USER_NOT_FOUND)
  return target
}

/** Session, then user, then authority (D4): the target user the caller may act on. */
export function accessibleTarget(ctx: EoContext, params: Params): EcUser {
  const caller = callerOf(ctx, params.SessionID ?? null)
  const target = targetOf(ctx, intParam(params.UserID))
  if (!ctx.access.mayActOn(caller, target)) throw ecgridosFault('Authorization', ACCESS_DENIED)
  return target
}

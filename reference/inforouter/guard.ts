/** The checks every ticket-taking operation makes, in the documented order: ticket, user, permission. */
import type { IrContext } from './context.ts'
import { ACCESS_DENIED, AUTHENTICATION_FAILED, TICKET_INVALID, USER_NOT_FOUND } from './messages.ts'
import type { IrUser } from './users.ts'

export type Step<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string }

const pass = <T>(value: T): Step<T> => ({ ok: true, value })
const fail = <T>(error: string): Step<T> => ({ ok: false, error })

/** The caller behind a ticket: [900] when it is not a GUID, [901] when it is not a live ticket. */
export function authenticate(ctx: IrContext, rawTicket: string | null): Step<IrUser> {
  const check = ctx.sessions.verify(rawTicket)
  if (check.kind === 'malformed') return fail(AUTHENTICATION_FAILED)
  if (check.kind === 'invalid') return fail(TICKET_INVALID)
  const caller = ctx.users.findById(check.userId)
  return caller ? pass(caller) : fail(TICKET_INVALID)
}

/** The user an update names; a missing or empty name is an unknown user. */
export function findTarget(ctx: IrContext, userName: string | null): Step<IrUser> {
  const target = userName === null || userName === '' ? undefined : ctx.users.findByName(userName)
  return target ? pass(target) : fail(USER_NOT_FOUND)
}

export function authorize(ctx: IrContext, caller: IrUser, target: IrUser): Step<IrUser> {
  return ctx.access.mayUpdate(caller, target) ? pass(target) : fail(ACCESS_DENIED)
}

/** Ticket, then user, then permission: the target the caller may change, or the first error. */
export function updatableTarget(ctx: IrContext, rawTicket: string | null, userName: string | null): Step<IrUser> {
  const caller = authenticate(ctx, rawTicket)
  if (!caller.ok) return caller
  const target = findTarget(ctx, userName)
  if (!target.ok) return target
  return authorize(ctx, caller.value, target.value)
}

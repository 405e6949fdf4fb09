/**
 * UpdateUserEmail(authenticationTicket, UserName, NewEmailAddress): stores the address verbatim; the current
 * address, or SOAP nil, is a no-op that succeeds. Touches nothing but the email.
 */
import type { IrHandler } from '../context.ts'
import { updatableTarget } from '../guard.ts'
import { responseFail, responseOk } from '../responses.ts'

export const updateUserEmail: IrHandler = (ctx, params) => {
  const target = updatableTarget(ctx, params.authenticationTicket ?? null, params.UserName ?? null)
  if (!target.ok) return responseFail(target.error)
  const email = params.NewEmailAddress ?? null
  if (email !== null && email !== target.value.email) ctx.users.setContact(target.value.id, { email })
  return responseOk()
}

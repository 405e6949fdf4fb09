/** GetUser(authenticationTicket, UserName): any live ticket may read any user; no name means the caller. */
import type { IrHandler } from '../context.ts'
import { authenticate } from '../guard.ts'
import { USER_NOT_FOUND } from '../messages.ts'
import { responseFail, responseOk, userElement } from '../responses.ts'

export const getUser: IrHandler = (ctx, params) => {
  const caller = authenticate(ctx, params.authenticationTicket ?? null)
  if (!caller.ok) return responseFail(caller.error)
  const userName = params.UserName ?? null
  const target = userName === null || userName === '' ? caller.value : ctx.users.findByName(userName)
  return target ? responseOk([userElement(target)]) : responseFail(USER_NOT_FOUND)
}

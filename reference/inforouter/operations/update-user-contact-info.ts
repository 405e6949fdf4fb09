/**
 * UpdateUserContactInfo(authenticationTicket, userName, emailAddress, mobileNumber): a string (including "")
 * is stored verbatim, SOAP nil or a left-out element keeps the value; both fields change in one statement.
 */
import type { ContactChange } from '../users.ts'
import type { IrHandler } from '../context.ts'
import { updatableTarget } from '../guard.ts'
import { responseFail, responseOk } from '../responses.ts'

export const updateUserContactInfo: IrHandler = (ctx, params) => {
  const target = updatableTarget(ctx, params.authenticationTicket ?? null, params.userName ?? null)
  if (!target.ok) return responseFail(target.error)
  const email = params.emailAddress ?? null
  const mobileNumber = params.mobileNumber ?? null
  const change: ContactChange = {
    ...(email === null ? {} : { email }),
    ...(mobileNumber === null ? {} : { mobileNumber }),
  }
  ctx.users.setContact(target.value.id, change)
  return responseOk()
}

/** LogOut(AuthenticationTicket): ends a live ticket; [900] for a non-GUID, [901] for a dead one. */
import type { IrHandler } from '../context.ts'
import { AUTHENTICATION_FAILED, TICKET_INVALID } from '../messages.ts'
import { rootFail, rootOk } from '../responses.ts'

export const logOut: IrHandler = (ctx, params) => {
  const check = ctx.sessions.verify(params.AuthenticationTicket ?? null)
  if (check.kind === 'malformed') return rootFail(AUTHENTICATION_FAILED)
  if (check.kind === 'invalid') return rootFail(TICKET_INVALID)
  ctx.sessions.end(check.ticket)
  return rootOk()
}

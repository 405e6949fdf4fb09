/**
 * Logout(SessionID) → `<LogoutResult>` an int: the caller's sessions still open once this one is ended. An API
 * key is a persistent session: nothing to end, the count is answered as it is.
 */
import { leaf } from '../../asmx/xml.ts'
import type { ElHandler } from '../context.ts'
import { callerOf } from '../guard.ts'

export const logout: ElHandler = (ctx, params) => {
  const sessionId = params.SessionID ?? null
  const caller = callerOf(ctx, sessionId)
  const check = ctx.sessions.verify(sessionId)
  if (check.kind === 'valid') ctx.sessions.end(check.sessionId)
  return leaf('LogoutResult', String(ctx.details.openSessions(caller.id)))
}

/** Logout(SessionID) → `<LogoutResult>true</LogoutResult>`; the session stops working. */
import { leaf } from '../../asmx/xml.ts'
import type { EoHandler } from '../context.ts'
import { INVALID_SESSION, ecgridosFault } from '../faults.ts'

export const logout: EoHandler = (ctx, params) => {
  const check = ctx.sessions.verify(params.SessionID ?? null)
  if (check.kind !== 'valid') throw ecgridosFault('Authentication', INVALID_SESSION)
  ctx.sessions.end(check.sessionId)
  return leaf('LogoutResult', 'true')
}

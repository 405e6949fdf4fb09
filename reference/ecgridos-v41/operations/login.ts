/** Login(LoginName, Password) → `<LoginResult>` a new SessionID (a GUID); the login name is case-insensitive. */
import { leaf } from '../../asmx/xml.ts'
import { touchUser } from '../../observe/load.ts'
import type { ElHandler } from '../context.ts'
import { LOGIN_FAILED, elFault } from '../faults.ts'

export const login: ElHandler = (ctx, params) => {
  const loginName = params.LoginName ?? null
  const password = params.Password ?? null
  const user = loginName === null || loginName === '' ? undefined : ctx.users.findByLogin(loginName)
  if (user !== undefined) touchUser('ecgrid', user.id)
  if (user === undefined || password === null || user.password !== password) throw elFault(LOGIN_FAILED, 'LoginName', 'Login name or password is not valid.')
  const sessionId = ctx.sessions.open(user.id)
  ctx.details.set(user.id, { lastLogin: ctx.clock.now() })
  return leaf('LoginResult', sessionId)
}

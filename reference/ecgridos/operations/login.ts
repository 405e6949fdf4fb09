/** Login(UserName, Password, Sender…) → `<LoginResult>` a new session GUID; the login name is case-insensitive. */
import { leaf } from '../../asmx/xml.ts'
import type { EoHandler } from '../context.ts'
import { touchUser } from '../../observe/load.ts'
import { AUTHENTICATION_FAILED, ecgridosFault } from '../faults.ts'

export const login: EoHandler = (ctx, params) => {
  const userName = params.UserName ?? null
  const password = params.Password ?? null
  const user = userName === null || userName === '' ? undefined : ctx.users.findByLogin(userName)
  if (user !== undefined) touchUser('ecgrid', user.id)
  if (user === undefined || password === null || user.password !== password) throw ecgridosFault('Authentication', AUTHENTICATION_FAILED)
  return leaf('LoginResult', ctx.sessions.open(user.id))
}

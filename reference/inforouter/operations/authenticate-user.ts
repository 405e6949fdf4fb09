/** AuthenticateUser(UID, PWD) → `<root success="true" ticket=… />` or `[900] Authentication failed`. */
import type { IrHandler } from '../context.ts'
import { AUTHENTICATION_FAILED } from '../messages.ts'
import { rootFail, rootOk } from '../responses.ts'

/** `2026-03-20T14:35:00Z`: ISO without milliseconds, as the documentation shows expireOn. */
const isoSeconds = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`

const fullName = (first: string, last: string): string => [first, last].filter((part) => part !== '').join(' ')

export const authenticateUser: IrHandler = (ctx, params) => {
  const uid = params.UID ?? null
  const pwd = params.PWD ?? null
  if (uid === null || uid === '' || pwd === null) return rootFail(AUTHENTICATION_FAILED)
  const user = ctx.users.findByName(uid)
  if (user === undefined || !user.enabled || user.password !== pwd) return rootFail(AUTHENTICATION_FAILED)
  ctx.users.recordLogon(user.id, ctx.clock.now())
  const session = ctx.sessions.open(user.id)
  return rootOk([
    ['ticket', session.ticket],
    ['userid', String(user.id)],
    ['username', user.userName],
    ['firstName', user.firstName],
    ['lastName', user.lastName],
    ['fullname', fullName(user.firstName, user.lastName)],
    ['email', user.email],
    ['expireOn', isoSeconds(session.expiresAt)],
    ['isAuthenticated', 'True'],
  ])
}

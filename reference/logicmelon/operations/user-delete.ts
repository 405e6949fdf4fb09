/** UserDelete(User) → `<UserDeleteResult>` true when User.UserID named a user in the caller's tree (now deleted), else false. */
import { leaf } from '../../asmx/xml.ts'
import type { LmHandler } from '../context.ts'
import { administrator } from '../credentials.ts'
import { intOf, requestOf, submittedUser } from '../request.ts'
import { userInTree } from '../scope.ts'

export const userDelete: LmHandler = (ctx, params) => {
  const request = requestOf(params)
  const caller = administrator(ctx, request)
  const target = userInTree(ctx, caller, intOf(submittedUser(request).UserID))
  const deleted = target !== undefined && ctx.users.remove(target.UserID)
  return leaf('UserDeleteResult', deleted ? 'true' : 'false')
}

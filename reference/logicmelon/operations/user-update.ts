/**
 * UserUpdate(User) → `<UserUpdateResult>` the user as stored after the update. User.UserID names a user
 * in the caller's tree (else `User not found.`); the update policy (D5) decides what changes.
 */
import type { LmHandler } from '../context.ts'
import { administrator } from '../credentials.ts'
import { cUser } from '../cuser.ts'
import { USER_NOT_FOUND, lmFault } from '../faults.ts'
import { intOf, requestOf, submittedUser } from '../request.ts'
import { userInTree } from '../scope.ts'

export const userUpdate: LmHandler = (ctx, params) => {
  const request = requestOf(params)
  const caller = administrator(ctx, request)
  const submitted = submittedUser(request)
  const target = userInTree(ctx, caller, intOf(submitted.UserID))
  if (target === undefined) throw lmFault(USER_NOT_FOUND)
  const saved = ctx.users.update(target.UserID, ctx.updates.changeFor(submitted, target))
  if (saved === undefined) throw lmFault(USER_NOT_FOUND)
  return cUser('UserUpdateResult', saved, ctx.format)
}

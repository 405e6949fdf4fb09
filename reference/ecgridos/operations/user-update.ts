/**
 * UserUpdate(SessionID, UserID, FirstName, LastName, Email) → `<UserUpdateResult>` the user as saved.
 * A string (including "") is stored; nil or left out keeps the field. Email, when given, must be valid.
 * Only these three fields change; the same values as now succeed and change nothing.
 */
import type { Params } from '../../asmx/types.ts'
import { isValidEmail } from '../../ecgrid/email.ts'
import type { UserChange } from '../../ecgrid/users.ts'
import type { EoHandler } from '../context.ts'
import { INVALID_EMAIL, UNEXPECTED_ERROR, ecgridosFault } from '../faults.ts'
import { accessibleTarget } from '../guard.ts'
import { userIdInfo } from '../user-info.ts'

/** The change a call asks for; throws InvalidParameter for an email that is not valid. */
export function contactChange(params: Params): UserChange {
  const firstName = params.FirstName ?? null
  const lastName = params.LastName ?? null
  const email = params.Email ?? null
  if (email !== null && !isValidEmail(email)) throw ecgridosFault('InvalidParameter', INVALID_EMAIL)
  return {
    ...(firstName === null ? {} : { firstName }),
    ...(lastName === null ? {} : { lastName }),
    ...(email === null ? {} : { email }),
  }
}

export const userUpdate: EoHandler = (ctx, params) => {
  const target = accessibleTarget(ctx, params)
  const saved = ctx.users.update(target.id, contactChange(params))
  if (saved === undefined) throw ecgridosFault('SystemError', UNEXPECTED_ERROR)
  return userIdInfo('UserUpdateResult', saved, ctx.format)
}

/**
 * UserUpdate(SessionID, UserID, FirstName, LastName, Company, EMail, Phone, CellPhone, CellCarrier, AuthLevel) →
 * `<UserUpdateResult>true</UserUpdateResult>` once saved. Each string is stored as given unless the update policy
 * says it keeps the field (`[Default]`; nil or left out over SOAP), each enumeration unless it is `NoChange`; EMail,
 * when given, must be valid (Invalid parameter); an AuthLevel above the session's own is refused (Access denied).
 * A refused call changes nothing.
 */
import type { Params } from '../../asmx/types.ts'
import { leaf } from '../../asmx/xml.ts'
import type { DetailsChange } from '../../ecgrid/details.ts'
import { isValidEmail } from '../../ecgrid/email.ts'
import { isAuthLevel, isCellCarrier, type AuthLevel } from '../../ecgrid/enums.ts'
import type { UserChange } from '../../ecgrid/users.ts'
import type { ElContext, ElHandler } from '../context.ts'
import { ACCESS_DENIED, INVALID_PARAMETER, SYSTEM_ERROR, elFault } from '../faults.ts'
import { accessibleTarget } from '../guard.ts'

interface Changes {
  readonly user: UserChange
  readonly details: DetailsChange
}

/** What the call asks to change, after the keep rules; throws for an invalid EMail or an AuthLevel above `own`. */
export function requestedChanges(ctx: ElContext, params: Params, own: AuthLevel): Changes {
  const text = (name: string): string | undefined => {
    const value = params[name] ?? null
    return ctx.policy.keepsString(value) ? undefined : (value ?? undefined)
  }
  const choice = (name: string): string | undefined => {
    const value = params[name] ?? null
    return ctx.policy.keepsEnum(value) ? undefined : (value ?? undefined)
  }
  const email = text('EMail')
  if (email !== undefined && !isValidEmail(email)) throw elFault(INVALID_PARAMETER, 'EMail', 'Not a valid e-mail address.')
  const level = choice('AuthLevel')
  const authLevel = level !== undefined && isAuthLevel(level) ? level : undefined
  if (authLevel !== undefined && !ctx.policy.mayGrant(own, authLevel)) {
    throw elFault(ACCESS_DENIED, 'AuthLevel', 'The AuthLevel cannot be set higher than the session Authorization Level.')
  }
  const carrier = choice('CellCarrier')
  const [firstName, lastName, company, phone, cellPhone] = ['FirstName', 'LastName', 'Company', 'Phone', 'CellPhone'].map(text)
  const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T
  return {
    user: defined({ firstName, lastName, email, authLevel }),
    details: defined({ company, phone, cellPhone, cellCarrier: carrier !== undefined && isCellCarrier(carrier) ? carrier : undefined }),
  }
}

export const userUpdate: ElHandler = (ctx, params) => {
  const { caller, target } = accessibleTarget(ctx, params)
  const changes = requestedChanges(ctx, params, caller.authLevel)
  if (ctx.users.update(target.id, changes.user) === undefined) throw elFault(SYSTEM_ERROR, 'UserID', 'The user could not be saved.')
  ctx.details.set(target.id, { ...changes.details, modified: ctx.clock.now() })
  return leaf('UserUpdateResult', 'true')
}

/**
 * D5: what a submitted CUser changes in the stored user. Left out or nil: unchanged (every field).
 * Updateable strings are stored as sent ("" clears); the seven flags as sent; Password only when non-empty
 * (UserList hands out ""). UserID, UserIdentifier, Username and UserRoleID are ignored; an OrganisationID
 * other than the stored one is refused and nothing changes. The policy is a plain object so that a
 * deviation can hand a handler other rules.
 */
import { FLAG_FIELDS, UPDATEABLE_TEXT_FIELDS, type FlagField, type LmUser, type UpdateableTextField } from './cuser.ts'
import { CANNOT_MOVE, lmFault } from './faults.ts'
import { intOf, type SubmittedUser } from './request.ts'
import type { UserChange } from './users.ts'

export interface UpdatePolicy {
  /** The change `submitted` asks of `stored`; throws the fault for a change that is refused. */
  changeFor(submitted: SubmittedUser, stored: LmUser): UserChange
}

function sentTexts(submitted: SubmittedUser): Partial<Record<UpdateableTextField, string>> {
  const sent = UPDATEABLE_TEXT_FIELDS.flatMap((field) => {
    const value = submitted[field]
    return value === null || value === undefined ? [] : [[field, value] as const]
  })
  return Object.fromEntries(sent)
}

function sentFlags(submitted: SubmittedUser): Partial<Record<FlagField, boolean>> {
  const sent = FLAG_FIELDS.flatMap((field) => {
    const value = submitted[field]
    return value === null || value === undefined ? [] : [[field, value === 'true'] as const]
  })
  return Object.fromEntries(sent)
}

export const documentedUpdates: UpdatePolicy = {
  changeFor(submitted, stored) {
    const organisationId = intOf(submitted.OrganisationID)
    if (organisationId !== null && organisationId !== stored.OrganisationID) throw lmFault(CANNOT_MOVE)
    const password = submitted.Password
    return {
      ...sentTexts(submitted),
      ...sentFlags(submitted),
      ...(password === null || password === undefined || password === '' ? {} : { Password: password }),
    }
  },
}

/**
 * UserAdd(sParentOrganisationIdentifier, User) → `<UserAddResult>` the new user. The parent (numeric
 * OrganisationID or OrganisationIdentifier) must be in the caller's tree; Username is required and unique;
 * UserIdentifier is generated when empty; UserRoleID 1 stays 1, anything else is 2 (Recruiter).
 */
import type { LmHandler } from '../context.ts'
import { administrator } from '../credentials.ts'
import { FLAG_FIELDS, ROLE_ADMINISTRATOR, ROLE_RECRUITER, UPDATEABLE_TEXT_FIELDS, cUser } from '../cuser.ts'
import { USERNAME_EXISTS, lmFault } from '../faults.ts'
import { intOf, requestOf, submittedUser, textField, type SubmittedUser } from '../request.ts'
import { organisationInTree } from '../scope.ts'
import { newUserIdentifier, newUserIn, type NewLmUser } from '../users.ts'

function newUser(submitted: SubmittedUser, organisationId: number, username: string): NewLmUser {
  const identifier = submitted.UserIdentifier
  const texts = UPDATEABLE_TEXT_FIELDS.map((field) => [field, submitted[field] ?? ''])
  const flags = FLAG_FIELDS.map((field) => [field, submitted[field] === 'true'])
  return newUserIn(organisationId, {
    ...Object.fromEntries([...texts, ...flags]),
    UserIdentifier: identifier === null || identifier === undefined || identifier === '' ? newUserIdentifier() : identifier,
    Username: username,
    Password: submitted.Password ?? '',
    UserRoleID: intOf(submitted.UserRoleID) === ROLE_ADMINISTRATOR ? ROLE_ADMINISTRATOR : ROLE_RECRUITER,
  })
}

export const userAdd: LmHandler = (ctx, params) => {
  const request = requestOf(params)
  const caller = administrator(ctx, request)
  const submitted = submittedUser(request)
  const parent = organisationInTree(ctx, caller, textField(request, 'sParentOrganisationIdentifier'))
  const username = submitted.Username
  if (username === null || username === undefined || username === '') throw lmFault(USERNAME_EXISTS)
  const created = ctx.users.create(newUser(submitted, parent, username))
  if (!created.ok) throw lmFault(USERNAME_EXISTS)
  return cUser('UserAddResult', created.user, ctx.format)
}

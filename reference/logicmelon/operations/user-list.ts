/**
 * UserList(sStartOrganisation, sUserIdentifier) → `<UserListResult>` of `<CUser>`, by UserID. The start
 * organisation (empty: the caller's) must be in the caller's tree; the identifier (empty: everyone below
 * the start) is a numeric UserID or a UserIdentifier (case-insensitive), matching at most one user.
 */
import type { ComplexValue } from '../../asmx/types.ts'
import { el } from '../../asmx/xml.ts'
import type { LmContext, LmHandler } from '../context.ts'
import { administrator } from '../credentials.ts'
import { cUser, type LmUser } from '../cuser.ts'
import { requestOf, textField } from '../request.ts'
import { numericId, organisationInTree } from '../scope.ts'
import { touchUser } from '../../observe/load.ts'

function startOrganisation(ctx: LmContext, caller: LmUser, request: ComplexValue): number {
  const start = textField(request, 'sStartOrganisation')
  return start === null || start === '' ? caller.OrganisationID : organisationInTree(ctx, caller, start)
}

function matching(users: readonly LmUser[], identifier: string | null): LmUser[] {
  if (identifier === null || identifier === '') return [...users]
  const id = numericId(identifier)
  const key = identifier.toLowerCase()
  const match = users.find((u) => (id === undefined ? u.UserIdentifier.toLowerCase() === key : u.UserID === id))
  if (match) touchUser('logicmelon', match.UserID)
  return match === undefined ? [] : [match]
}

export const userList: LmHandler = (ctx, params) => {
  const request = requestOf(params)
  const caller = administrator(ctx, request)
  const scope = ctx.organisations.subtreeIds(startOrganisation(ctx, caller, request))
  const users = matching(ctx.users.listIn(scope), textField(request, 'sUserIdentifier'))
  return el(
    'UserListResult',
    [],
    users.map((user) => cUser('CUser', user, ctx.format)),
  )
}

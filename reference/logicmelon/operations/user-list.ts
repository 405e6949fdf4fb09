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

/** The one user the identifier names below `start` (a UserID, or a UserIdentifier ignoring case), found by index. */
function named(ctx: LmContext, start: number, identifier: string): LmUser[] {
  const id = numericId(identifier)
  const candidates = id === undefined ? ctx.users.findByIdentifier(identifier) : [ctx.users.findById(id)].filter((u) => u !== undefined)
  const match = candidates.find((u) => ctx.organisations.isWithin(u.OrganisationID, start))
  if (match) touchUser('logicmelon', match.UserID)
  return match === undefined ? [] : [match]
}

export const userList: LmHandler = (ctx, params) => {
  const request = requestOf(params)
  const caller = administrator(ctx, request)
  const start = startOrganisation(ctx, caller, request)
  const identifier = textField(request, 'sUserIdentifier')
  const users = identifier === null || identifier === '' ? ctx.users.listIn(ctx.organisations.subtreeIds(start)) : named(ctx, start, identifier)
  return el(
    'UserListResult',
    [],
    users.map((user) => cUser('CUser', user, ctx.format)),
  )
}

/**
 * The caller's tree: their organisation and its descendants. Organisations are named by a numeric
 * OrganisationID or an OrganisationIdentifier (case-insensitive); users by UserID. Anything outside the
 * tree is treated as unknown.
 */
import { toInt32 } from '../asmx/xml-convert.ts'
import type { LmUser } from './cuser.ts'
import type { LmContext } from './context.ts'
import { ORGANISATION_NOT_FOUND, lmFault } from './faults.ts'
import { touchUser } from '../observe/load.ts'

/** The number `text` names (int.TryParse-like: sign and surrounding white space allowed), else undefined. */
export function numericId(text: string): number | undefined {
  const converted = toInt32(text)
  return converted.ok ? Number(converted.value) : undefined
}

export const inTreeOf = (ctx: LmContext, caller: LmUser, organisationId: number): boolean => ctx.organisations.isWithin(organisationId, caller.OrganisationID)

/** The OrganisationID `text` names inside the caller's tree, or `Organisation not found.` */
export function organisationInTree(ctx: LmContext, caller: LmUser, text: string | null): number {
  const id = text === null ? undefined : numericId(text)
  const organisation = text === null || text === '' ? undefined : id === undefined ? ctx.organisations.findByIdentifier(text) : ctx.organisations.findById(id)
  if (organisation === undefined || !inTreeOf(ctx, caller, organisation.id)) throw lmFault(ORGANISATION_NOT_FOUND)
  return organisation.id
}

/** The user with this UserID inside the caller's tree (undefined for null, 0, unknown or outside). */
export function userInTree(ctx: LmContext, caller: LmUser, userId: number | null): LmUser | undefined {
  if (userId !== null) touchUser('logicmelon', userId)
  const user = userId === null || userId === 0 ? undefined : ctx.users.findById(userId)
  return user !== undefined && inTreeOf(ctx, caller, user.OrganisationID) ? user : undefined
}

/**
 * Authentication and authority for every operation. `sAPIKey` must be the key of the caller's top-level
 * organisation, `sUsername` (case-insensitive) and `sPassword` (exact) a user's, all three agreeing; any
 * mismatch, or a credential missing or empty, is the one `Authentication failed.` (no enumeration). The
 * caller must then be an Administrator. The credential comparisons are a plain object so that a deviation
 * can hand a handler one that skips a check.
 */
import type { ComplexValue } from '../asmx/types.ts'
import { ROLE_ADMINISTRATOR, type LmUser } from './cuser.ts'
import type { LmContext } from './context.ts'
import { ACCESS_DENIED, AUTHENTICATION_FAILED, lmFault } from './faults.ts'
import { textField } from './request.ts'

export interface CredentialPolicy {
  /** `expected`: the key of the user's top-level organisation. */
  apiKeyMatches(expected: string | null, given: string | null): boolean
  passwordMatches(expected: string, given: string | null): boolean
}

const sameNonEmpty = (expected: string | null, given: string | null): boolean => given !== null && given !== '' && given === expected

export const documentedCredentials: CredentialPolicy = {
  apiKeyMatches: sameNonEmpty,
  passwordMatches: sameNonEmpty,
}

/** The user the request's credentials name, or the `Authentication failed.` fault. */
export function authenticate(ctx: LmContext, request: ComplexValue): LmUser {
  const username = textField(request, 'sUsername')
  const user = username === null || username === '' ? undefined : ctx.users.findByUsername(username)
  const apiKey = user === undefined ? null : (ctx.organisations.topLevelOf(user.OrganisationID)?.apiKey ?? null)
  if (
    user === undefined ||
    !ctx.credentials.passwordMatches(user.Password, textField(request, 'sPassword')) ||
    !ctx.credentials.apiKeyMatches(apiKey, textField(request, 'sAPIKey'))
  ) {
    throw lmFault(AUTHENTICATION_FAILED)
  }
  return user
}

/** The authenticated caller, who must be an Administrator (else `Access denied.`). */
export function administrator(ctx: LmContext, request: ComplexValue): LmUser {
  const caller = authenticate(ctx, request)
  if (caller.UserRoleID !== ROLE_ADMINISTRATOR) throw lmFault(ACCESS_DENIED)
  return caller
}

/** The checks both routes make: the API key (401), the user (404), the authority (403, D4). */
import type { EcUser } from '../ecgrid/users.ts'
import { header, type RestError, type RestRequest } from '../rest/types.ts'
import type { ErContext } from './context.ts'
import { touchUser } from '../observe/load.ts'
import { ACCESS_DENIED, INVALID_API_KEY, USER_NOT_FOUND } from './messages.ts'

export type Step<T> = { readonly ok: true; readonly value: T } | RestError

const pass = <T>(value: T): Step<T> => ({ ok: true, value })

export const API_KEY_HEADER = 'x-api-key'

export function authenticate(ctx: ErContext, request: RestRequest): Step<EcUser> {
  const caller = ctx.keys.callerOf(header(request, API_KEY_HEADER))
  return caller ? pass(caller) : INVALID_API_KEY
}

/** The user `userId` names, if the caller has authority over them. */
export function accessibleTarget(ctx: ErContext, caller: EcUser, userId: number): Step<EcUser> {
  touchUser('ecgrid', userId)
  const target = ctx.users.findById(userId)
  if (target === undefined) return USER_NOT_FOUND
  return ctx.access.mayActOn(caller, target) ? pass(target) : ACCESS_DENIED
}

const INT32_MIN = -2147483648
const INT32_MAX = 2147483647

/** A JSON integer within int32 (the API's `integer`), or undefined. */
export function int32(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX ? value : undefined
}

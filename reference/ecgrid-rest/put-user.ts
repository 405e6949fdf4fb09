/**
 * PUT /v2/users {userId, email?, firstName?, lastName?} → 200 with the user as saved. Checks in order: key,
 * body, userId, user, authority, fields; then one update. Left out or null keeps a field; "" clears a name;
 * an email must be valid ("" is not); every other field is ignored.
 */
import type { UserChange } from '../ecgrid/users.ts'
import type { JsonObject } from './body.ts'
import type { ErHandler } from './context.ts'
import { accessibleTarget, authenticate, int32, type Step } from './guard.ts'
import { INTERNAL_ERROR, INVALID_EMAIL, INVALID_USER_ID, notAString } from './messages.ts'

export const CONTACT_FIELDS = ['firstName', 'lastName', 'email'] as const

export function readUserId(body: JsonObject): Step<number> {
  const userId = int32(body.userId)
  return userId === undefined ? INVALID_USER_ID : { ok: true, value: userId }
}

/** The change the body asks for, validated as a whole: an error means nothing may change. */
export function readContactChange(body: JsonObject, emailRule: (email: string) => boolean): Step<UserChange> {
  const change: Record<string, string> = {}
  for (const field of CONTACT_FIELDS) {
    const value = body[field]
    if (value === undefined || value === null) continue
    if (typeof value !== 'string') return notAString(field)
    change[field] = value
  }
  if (change.email !== undefined && !emailRule(change.email)) return INVALID_EMAIL
  return { ok: true, value: change }
}

export const putUser: ErHandler = (ctx, request) => {
  const caller = authenticate(ctx, request)
  if (!caller.ok) return caller
  const body = ctx.readBody(request)
  if (!body.ok) return body
  const userId = readUserId(body.value)
  if (!userId.ok) return userId
  const target = accessibleTarget(ctx, caller.value, userId.value)
  if (!target.ok) return target
  const change = readContactChange(body.value, ctx.emailRule)
  if (!change.ok) return change
  const saved = ctx.users.update(target.value.id, change.value)
  return saved ? { ok: true, status: 200, data: saved } : INTERNAL_ERROR
}

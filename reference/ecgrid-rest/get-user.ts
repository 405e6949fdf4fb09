/** GET /v2/users/{id} → 200 with the user, for a caller with authority over them (D4). */
import type { ErHandler } from './context.ts'
import { accessibleTarget, authenticate, int32 } from './guard.ts'
import { INVALID_ID } from './messages.ts'

const INTEGER_TEXT = /^-?[0-9]+$/

export const getUser: ErHandler = (ctx, request) => {
  const caller = authenticate(ctx, request)
  if (!caller.ok) return caller
  const text = request.params.id ?? ''
  const id = INTEGER_TEXT.test(text) ? int32(Number(text)) : undefined
  if (id === undefined) return INVALID_ID
  const target = accessibleTarget(ctx, caller.value, id)
  return target.ok ? { ok: true, status: 200, data: target.value } : target
}

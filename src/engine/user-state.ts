import type { BindingName } from '../bindings/types.ts'
import { ConformError } from '../errors.ts'
import { evaluate, fieldsReferenced, Template, walk } from '../expr.ts'
import type { FakeName } from '../fake.ts'
import type { ApiDescription, Loaded } from '../spec/model.ts'
import { isNil, isOmit } from '../yaml/source.ts'
import type { CallResult } from './client.ts'
import { describeAnswer } from './authenticate.ts'
import type { UserState } from './expectations.ts'

/** Reading a user, restoring one and comparing: shared by a check's own restore and `conform restore`. */

export type Resolve = (path: string[]) => unknown

/** Evaluates every template in a value tree as loaded (src/spec/); strings are literals. */
export function evaluateDeep<T>(value: Loaded<T>, resolve: Resolve): T {
  if (value instanceof Template) return evaluate(value, resolve) as T
  if (Array.isArray(value)) return value.map((v) => evaluateDeep(v, resolve)) as T
  if (value && typeof value === 'object' && !isNil(value) && !isOmit(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, evaluateDeep(v, resolve)])) as T
  }
  return value as T
}

/** A resolver over plain values (`user`, `before`); `fake` values come from the given source when there is one. */
export function valueScope(values: Record<string, unknown>, fake?: (n: FakeName) => string): Resolve {
  return (path) => (path[0] === 'fake' && fake ? fake(path[1] as FakeName) : walk(values, path))
}

/** The logical user record (api.yaml `user.fields`) read out of a read-back answer. */
export function userState(api: ApiDescription, value: unknown): UserState {
  return Object.fromEntries(Object.entries(api.user.fields).map(([field, path]) => [field, walk(value, path.split('.'))]))
}

export function readBackParams(api: ApiDescription, user: Record<string, unknown>): Record<string, unknown> {
  return evaluateDeep(api.readBack.call.params, valueScope({ user }))
}

export function restoreParams(api: ApiDescription, user: Record<string, unknown>, before: UserState): Record<string, unknown> {
  return evaluateDeep(api.restore.call.params, valueScope({ user, before }))
}

/** The user's state from a read-back answer; an answer that is not the user is a setup failure. */
export function readBackState(api: ApiDescription, binding: BindingName, user: Record<string, unknown>, r: CallResult): UserState {
  const value = r.outcome.kind === 'answer' ? r.outcome.value : undefined
  const ok = value !== undefined && Object.entries(api.readBack.expect).every(([p, v]) => String(walk(value, p.split('.'))) === v)
  if (!ok) {
    throw new ConformError(
      'READ_BACK_FAILED',
      'setup',
      `could not read back user ${String(user[api.user.key])} with ${api.readBack.call.operation} over ${binding}: got ${describeAnswer(r)}`,
    )
  }
  return userState(api, value)
}

/** Fields that differ from the snapshot, each with expected and found values (empty: restored). */
export function differences(before: UserState, after: UserState): string[] {
  return Object.keys(before)
    .filter((f) => after[f] !== before[f])
    .map((f) => `${f} (expected ${JSON.stringify(before[f])}, found ${JSON.stringify(after[f])})`)
}

const USER_ROOT: ReadonlySet<string> = new Set(['user'])

/**
 * What the journal keeps of a fixture user: the attributes the read-back and restore calls use (ids, names), and
 * the user key; never a secret of the API (passwords, API keys), which the journal must not hold in clear.
 */
export function journalAttrs(api: ApiDescription, attrs: Record<string, unknown>): Record<string, string> {
  const used = new Set<string>([api.user.key])
  fieldsReferenced([api.readBack.call.params, api.restore.call.params], USER_ROOT, used)
  for (const s of api.user.secrets) used.delete(s)
  return Object.fromEntries([...used].filter((k) => typeof attrs[k] === 'string' || typeof attrs[k] === 'number').map((k) => [k, String(attrs[k])]))
}

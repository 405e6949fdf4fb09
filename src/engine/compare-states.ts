import { walk } from '../expr.ts'
import type { AnswerUser } from '../spec/model.ts'
import { show, type UserState } from './expectations.ts'
import { sameValue as sameTyped, type FieldTypes } from './value-types.ts'

/** Pure: do two faces of one backend say the same about a user? Field names are logical (api.yaml `user.fields`). */

const ZONED = /(Z|[+-]\d{2}:?\d{2})$/i

/** An xs:dateTime or ISO instant in ms; a value without a zone is taken as UTC (ASMX writes UTC unzoned). */
export function instantOf(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return undefined
  const ms = Date.parse(ZONED.test(value) ? value : `${value}Z`)
  return Number.isNaN(ms) ? undefined : ms
}

/** Scalars compare by text (XML has only text: `42` and "42" are the same UserID); instants by the moment. */
export function sameValue(a: unknown, b: unknown, asInstant: boolean, type?: ReturnType<FieldTypes>): boolean {
  if (type === 'number' || type === 'boolean') return sameTyped(type, a, b)
  if (asInstant) {
    const [x, y] = [instantOf(a), instantOf(b)]
    return x !== undefined && x === y
  }
  const text = (v: unknown) => (v === null || v === undefined ? undefined : typeof v === 'object' ? JSON.stringify(v) : String(v))
  return text(a) === text(b)
}

export interface FaceState {
  /** e.g. `ecgridos UserInfo over soap11`. */
  label: string
  state: UserState
}

/** `firstName: "Ann" (ecgridos …) vs "Anne" (ecgrid-rest …)` per differing field; empty when they agree. */
/** `types`: what either API's read-back schema says a field is (value-types.ts); numbers and booleans compare by value. */
export function stateDifferences(a: FaceState, b: FaceState, fields: readonly string[], instants: readonly string[], types?: FieldTypes): string[] {
  return fields
    .filter((f) => !sameValue(a.state[f], b.state[f], instants.includes(f), types?.(f)))
    .map((f) => `${f}: ${show(a.state[f])} (${a.label}) vs ${show(b.state[f])} (${b.label})${instants.includes(f) ? ' [compared as instants]' : ''}`)
}

export interface Update {
  /** e.g. `the update through ecgridos over soap11`. */
  label: string
  before: UserState
  after: UserState
}

/**
 * Did two updates of one user do the same thing? Per field: both changed it to the same value, or both left it.
 * Comparing changes rather than end states keeps the verdict independent of order when the first update did
 * something no update can put back (a reset `created`, a changed `status`).
 */
export function updateDifferences(a: Update, b: Update, fields: readonly string[], instants: readonly string[], types?: FieldTypes): string[] {
  const out: string[] = []
  for (const f of fields) {
    const asInstant = instants.includes(f)
    const type = types?.(f)
    const changedA = !sameValue(a.before[f], a.after[f], asInstant, type)
    const changedB = !sameValue(b.before[f], b.after[f], asInstant, type)
    const what = (u: Update, changed: boolean) => (changed ? `changed it from ${show(u.before[f])} to ${show(u.after[f])}` : `left it ${show(u.after[f])}`)
    if (changedA !== changedB || !sameValue(a.after[f], b.after[f], asInstant, type)) {
      out.push(`${f}: ${a.label} ${what(a, changedA)}, ${b.label} ${what(b, changedB)}${asInstant ? ' [compared as instants]' : ''}`)
    }
  }
  return out
}

/**
 * The user an answer carries (api.yaml `answer.user`), by logical field; fields the answer lacks are left out (a
 * missing element is the answer schema's finding). Undefined when the answer carries no user (an error envelope,
 * `data: null`).
 */
export function answerUserState(fields: Readonly<Record<string, string>>, user: AnswerUser, answer: unknown): UserState | undefined {
  const record = user.path === '' ? answer : walk(answer, user.path.split('.'))
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined
  const strip = user.readBackPath === '' ? 0 : user.readBackPath.split('.').length
  const state: UserState = {}
  for (const [field, path] of Object.entries(fields)) {
    const v = walk(record, path.split('.').slice(strip))
    if (v !== undefined) state[field] = v
  }
  return Object.keys(state).length ? state : undefined
}

/**
 * `[ANSWER_STALE]`: fields where an update's answer and the read-back that follows disagree, by meaning (numbers and
 * booleans by value, instants by the moment, the types the read-back schema gives). An empty string and nil are the
 * same text. Empty: the answer shows the user as stored.
 */
export function answerDifferences(answer: UserState, stored: UserState, types?: FieldTypes): string[] {
  const blank = (v: unknown) => (v === null || v === undefined ? '' : v)
  const same = (f: string) => {
    const [a, b] = [blank(answer[f]), blank(stored[f])]
    return sameValue(a, b, false) || sameValue(a, b, types?.(f) === 'instant', types?.(f))
  }
  return Object.keys(answer)
    .filter((f) => !same(f))
    .map((f) => `${f}: answered ${show(answer[f])}, stored ${show(stored[f])}${types?.(f) === 'instant' ? ' [compared as instants]' : ''}`)
}

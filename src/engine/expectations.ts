import type { Outcome } from '../bindings/types.ts'
import { walk } from '../expr.ts'
import type { Matcher, OutcomeExpectation, StateMatcher } from '../spec/model.ts'
import { patternTest } from '../spec/safe-regex.ts'
import { isFaultCode } from './fault-codes.ts'
import { sameValue, type FieldTypes, type ValueType } from './value-types.ts'

/** Pure checks: an outcome or a state in, a list of mismatches out (empty = as expected). */

export function show(v: unknown): string {
  if (v === undefined) return '(absent)'
  if (v === null) return 'null'
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v)
}

export function describeMatcher(m: Matcher): string {
  if (m === null || typeof m !== 'object') return show(typeof m === 'number' || typeof m === 'boolean' ? String(m) : m)
  if ('pattern' in m) return `text matching /${m.pattern}/`
  if ('startsWith' in m) return `text starting with ${show(m.startsWith)}`
  return `one of ${m.oneOf.map((s) => show(s)).join(', ')}`
}

/**
 * Scalars match by text (XML has only text), or by value where the answer schema types the field (`type`): an
 * xs:boolean `1` is `true`, an xs:int `01` is `1`, an instant is the same instant in any offset. `pattern` and
 * `startsWith` always read the text as it came.
 */
export function matches(m: Matcher, actual: unknown, type?: ValueType): boolean {
  if (m === null) return actual === null
  if (typeof m !== 'object') return (typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean') && sameValue(type, m, actual)
  if ('oneOf' in m && type) return m.oneOf.some((e) => sameValue(type, e, actual))
  if (typeof actual !== 'string') return false
  if ('pattern' in m) return patternTest(m.pattern, actual)
  if ('startsWith' in m) return actual.startsWith(m.startsWith)
  return m.oneOf.includes(actual)
}

function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case 'answer':
      return `an answer ${show(o.value)}`
    case 'fault':
      return `a SOAP fault ${show(o.code)}: ${show(o.reason)} (HTTP ${o.status})`
    case 'http-error':
      return `HTTP ${o.status} ${o.contentType || '(no content type)'}: ${show(o.text.slice(0, 200))}`
    case 'undecodable':
      return `an answer that could not be decoded (HTTP ${o.status}): ${o.reason}`
  }
}

/** Where a mismatch was declared, e.g. `specs/x.yaml:12:7`; given by the caller. */
export type Locate = (path: Array<string | number>) => string

/** `types`: what the operation's answer schema says each answer field is (value-types.ts); absent: all text. */
export function checkOutcome(
  expect: OutcomeExpectation,
  outcome: Outcome,
  locate: Locate,
  base: Array<string | number> = ['then'],
  types?: FieldTypes,
): string[] {
  const status =
    expect.status !== undefined && outcome.status !== expect.status
      ? [`expected HTTP status ${expect.status} (${locate([...base, 'status'])}), got ${outcome.status}`]
      : []
  return [...status, ...checkOutcomeBody(expect, outcome, locate, base, types)]
}

function fieldMismatches(
  fields: Record<string, Matcher>,
  value: unknown,
  what: string,
  locate: Locate,
  at: Array<string | number>,
  types?: FieldTypes,
): string[] {
  return Object.entries(fields).flatMap(([path, m]) => {
    // The empty path is the answer itself (a typed result: `<UserUpdateResult>true</UserUpdateResult>`).
    const got = walk(value, path.split('.').filter(Boolean))
    const type = types?.(path)
    return matches(m, got, type)
      ? []
      : [`expected ${what}${path} = ${describeMatcher(m)}${type ? ` (compared as ${TYPE_WORDS[type]})` : ''} (${locate([...at, path])}), got ${show(got)}`]
  })
}

const TYPE_WORDS: Record<ValueType, string> = { boolean: 'a boolean', number: 'a number', instant: 'an instant' }

/** A fault code matches by QName (fault-codes.ts); `pattern` and `startsWith` read its resolved text. */
function faultCodeMatches(m: Matcher, code: string, subcodes: readonly string[] = []): boolean {
  if (m !== null && typeof m === 'object' && !('oneOf' in m)) return matches(m, code)
  if (m !== null && typeof m === 'object') return m.oneOf.some((e) => isFaultCode(e, code, subcodes))
  return m === null ? code === '' : isFaultCode(String(m), code, subcodes)
}

function checkOutcomeBody(expect: OutcomeExpectation, outcome: Outcome, locate: Locate, base: Array<string | number>, types?: FieldTypes): string[] {
  if (expect.response) {
    if (outcome.kind !== 'answer') return [`expected an answer (${locate([...base, 'response'])}), got ${describeOutcome(outcome)}`]
    return fieldMismatches(expect.response, outcome.value, '', locate, [...base, 'response'], types)
  }
  if (expect.fault) {
    if (outcome.kind !== 'fault') return [`expected a SOAP fault (${locate([...base, 'fault'])}), got ${describeOutcome(outcome)}`]
    const out: string[] = []
    const { code, reason } = expect.fault
    if (code !== undefined && !faultCodeMatches(code, outcome.code, outcome.subcodes)) {
      out.push(
        `expected fault code ${describeMatcher(code)} (${locate([...base, 'fault', 'code'])}), got ${show(outcome.code)}${outcome.subcodes?.length ? ` (subcodes ${outcome.subcodes.join(', ')})` : ''}`,
      )
    }
    if (reason !== undefined && !matches(reason, outcome.reason))
      out.push(`expected fault reason ${describeMatcher(reason)} (${locate([...base, 'fault', 'reason'])}), got ${show(outcome.reason)}`)
    if (expect.fault.detail) out.push(...fieldMismatches(expect.fault.detail, outcome.detail, 'fault detail ', locate, [...base, 'fault', 'detail']))
    return out
  }
  if (expect.httpError) {
    if (outcome.kind !== 'http-error') return [`expected an HTTP error (${locate([...base, 'httpError'])}), got ${describeOutcome(outcome)}`]
    const out: string[] = []
    const { status, contentType, text } = expect.httpError
    if (status !== undefined && outcome.status !== status)
      out.push(`expected HTTP status ${status} (${locate([...base, 'httpError', 'status'])}), got ${outcome.status}`)
    if (contentType !== undefined && !outcome.contentType.toLowerCase().startsWith(contentType.toLowerCase())) {
      out.push(`expected Content-Type ${contentType} (${locate([...base, 'httpError', 'contentType'])}), got ${show(outcome.contentType)}`)
    }
    if (text !== undefined && !matches(text, outcome.text))
      out.push(`expected error text ${describeMatcher(text)} (${locate([...base, 'httpError', 'text'])}), got ${show(outcome.text)}`)
    return out
  }
  return []
}

/** `any:` — the documentation allows several outcomes; one must hold. */
export function checkAnyOutcome(options: OutcomeExpectation[], outcome: Outcome, locate: Locate, types?: FieldTypes): string[] {
  const failures = options.map((o, i) => checkOutcome(o, outcome, locate, ['then', 'any', i], types))
  if (failures.some((f) => f.length === 0)) return []
  return [`none of the ${options.length} allowed outcomes held: ${failures.map((f) => f.join('; ')).join(' | ')}`]
}

export type UserState = Record<string, unknown>

/**
 * Read-back state after the call: each field named in `expected` matches, every other field equals its snapshot.
 * With no `expected`, the user must be exactly as before. `applied` and `appliedOrKept` weigh the submitted value
 * against the value before and what the target lets the API update (`updateable`). `types` (by logical field):
 * what the read-back answer's schema says each field is; typed fields compare by value.
 */
export function checkState(
  alias: string,
  before: UserState,
  after: UserState,
  expected: Record<string, StateMatcher>,
  locate: Locate,
  updateable: readonly string[] = [],
  types?: FieldTypes,
): string[] {
  const out: string[] = []
  for (const field of Object.keys(before)) {
    const got = after[field]
    const m = expected[field]
    const type = types?.(field)
    const sameText = (a: unknown, b: unknown) =>
      a !== undefined && a !== null && b !== undefined && b !== null && typeof a !== 'object' && typeof b !== 'object' ? sameValue(type, a, b) : a === b
    const at = () => locate(['then', 'state', alias, field])
    if (m !== null && typeof m === 'object' && 'applied' in m) {
      const want = updateable.includes(field) ? String(m.applied) : before[field]
      if (!sameText(got, want))
        out.push(
          `expected ${alias}.${field} = ${show(want)} after the call (${updateable.includes(field) ? 'submitted; the field is updateable' : 'as before; the target does not let it be updated'}, ${at()}), got ${show(got)}`,
        )
    } else if (m !== null && typeof m === 'object' && 'appliedOrKept' in m) {
      const submitted = String(m.appliedOrKept)
      if (!updateable.includes(field)) {
        if (!sameText(got, before[field]))
          out.push(
            `expected ${alias}.${field} to keep ${show(before[field])} (the target does not let it be updated; ${show(submitted)} was submitted, ${at()}), got ${show(got)}`,
          )
      } else if (!sameText(got, submitted) && !sameText(got, before[field])) {
        out.push(
          `expected ${alias}.${field} to be the submitted ${show(submitted)} or the previous ${show(before[field])} (${at()}), got a third value ${show(got)}`,
        )
      }
    } else if (m !== undefined) {
      if (!matches(m, got, type)) out.push(`expected ${alias}.${field} = ${describeMatcher(m)} after the call (${at()}), got ${show(got)}`)
    } else if (!sameText(got, before[field])) {
      out.push(`expected ${alias}.${field} unchanged at ${show(before[field])}, got ${show(got)}`)
    }
  }
  return out
}

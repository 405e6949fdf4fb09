import type { ParamValue } from '../bindings/types.ts'
import { Template } from '../expr.ts'
import type { ApiDescription, Call, LoadedThen, StateMatcher, Then } from '../spec/model.ts'
import { isNil, isOmit } from '../yaml/source.ts'
import { show, type Locate, type UserState } from './expectations.ts'
import { sameValue, type FieldTypes } from './value-types.ts'

/**
 * Every check can fail: what a spec expects must be observable from the state the check starts in. Derived from the
 * spec itself, nothing to declare: a field expected to become X (a value the spec fixes: "", a flag, a culture) must
 * not be X already; a field the call leaves out or sends as nil, expected kept, must hold a value (empty, false and 0
 * are what a clearing target would leave). A generated value (`${fake.…}`, directly or through vars) meets the value
 * before only by chance, in one run of many: it is not held against the spec. Pure: the spec, the state before the
 * call and what the call sends in, `[PRECONDITION]` messages out (empty: it can fail).
 */

/** `${jane.email}` in jane's own expectation of email: the spec says "kept at its value", not "becomes X". */
function isOwnValue(raw: unknown, alias: string, field: string): boolean {
  const only = raw instanceof Template && raw.parts.length === 1 ? raw.parts[0] : undefined
  return only?.kind === 'ref' && only.path.length === 2 && only.path[0] === alias && only.path[1] === field
}

/** Whether a template draws a generated value: `${fake.…}`, or a var that does (vars are templates too). */
function isGenerated(raw: unknown, vars: Readonly<Record<string, unknown>>, depth = 0): boolean {
  if (!(raw instanceof Template) || depth > 20) return false
  for (const part of raw.parts) {
    if (part.kind !== 'ref') continue
    const [root, name = ''] = part.path
    if (root === 'fake') return true
    if (root === 'vars' && isGenerated(vars[name], vars, depth + 1)) return true
  }
  return false
}

function rawOf(m: unknown): unknown {
  if (m !== null && typeof m === 'object') {
    if ('applied' in m) return (m as { applied: unknown }).applied
    if ('appliedOrKept' in m) return (m as { appliedOrKept: unknown }).appliedOrKept
  }
  return m
}

/** The value a state matcher says the field becomes, when it says one (plain values, `applied`, `appliedOrKept`). */
function becomes(m: StateMatcher, updateable: boolean): string | number | boolean | undefined {
  if (m === null) return undefined
  if (typeof m !== 'object') return m
  if ('applied' in m) return updateable ? m.applied : undefined
  if ('appliedOrKept' in m) return updateable ? m.appliedOrKept : undefined
  return undefined
}

/** Empty, nil, false or 0: what a target that clears a field (or resets a flag) would leave. */
function isBlank(v: unknown, type: ReturnType<FieldTypes>): boolean {
  if (v === undefined || v === null || v === '') return true
  if (type === 'boolean') return sameValue('boolean', v, false)
  if (type === 'number') return sameValue('number', v, 0)
  return false
}

export interface PreconditionInput {
  api: ApiDescription
  /** The spec's `then` as loaded (templates unevaluated) and evaluated. */
  rawThen: LoadedThen
  then: Then
  /** The spec's vars as loaded (to tell generated values from fixed ones). */
  vars: Readonly<Record<string, unknown>>
  /** The `when` call as written (its `!omit` and `!nil`). */
  when: Call
  /** Each user's state just before the calls. */
  before: Record<string, UserState>
  /** The alias the `when` call changes, if known (api.yaml `selects`). */
  selected: string | undefined
  updateable: readonly string[]
  types: FieldTypes
  locate: Locate
}

export function preconditionProblems(p: PreconditionInput): string[] {
  const out: string[] = []
  for (const [alias, fields] of Object.entries(p.then.state ?? {})) {
    const before = p.before[alias]
    if (!before) continue
    for (const [field, m] of Object.entries(fields)) {
      const raw = rawOf(p.rawThen.state?.[alias]?.[field])
      if (isOwnValue(raw, alias, field) || isGenerated(raw, p.vars)) continue
      const x = becomes(m, p.updateable.includes(field))
      if (x === undefined || !(field in before)) continue
      if (sameValue(p.types(field), before[field], x)) {
        out.push(
          `[PRECONDITION] ${alias}.${field} is already ${show(before[field])} before the call, so the expectation that it becomes ${show(x)} (${p.locate(['then', 'state', alias, field])}) cannot fail: give it another value first (given.users.${alias}.set)`,
        )
      }
    }
  }
  const op = p.api.operations[p.when.operation]
  const alias = p.selected
  const before = alias ? p.before[alias] : undefined
  if (!op || !alias || !before) return out
  for (const [param, value] of Object.entries(p.when.params)) {
    const how = isOmit(value) ? 'leaving it out' : isNil(value) ? 'sending it as nil' : undefined
    const field = op.sets[param]
    if (!how || !field || !(field in before)) continue
    const m = p.then.state?.[alias]?.[field]
    const expectedKept = m === undefined || isOwnValue(rawOf(p.rawThen.state?.[alias]?.[field]), alias, field)
    if (expectedKept && isBlank(before[field], p.types(field))) {
      out.push(
        `[PRECONDITION] ${alias}.${field} is ${show(before[field])} before the call, so the check that ${how} keeps it (${p.locate([...p.when.at, param])}) cannot fail: give it a value first (given.users.${alias}.set)`,
      )
    }
  }
  return out
}

/**
 * The alias a call changes: the one holding the value of its selecting param (api.yaml `selects`). When values of
 * several users match (a user id equal to another's organisation id), the one whose `key` field matches wins.
 */
export function selectedAlias(
  selects: readonly string[],
  sent: ReadonlyArray<readonly [string, ParamValue]>,
  users: Record<string, Record<string, unknown>>,
  key: string,
): string | undefined {
  for (const param of selects) {
    const value = sent.find(([name]) => name === param)?.[1]
    if (typeof value !== 'string' && typeof value !== 'number') continue
    const text = String(value)
    const byKey = Object.keys(users).filter((a) => users[a]![key] !== undefined && String(users[a]![key]) === text)
    if (byKey.length === 1) return byKey[0]
    const any = Object.keys(users).filter((a) => Object.values(users[a]!).some((v) => (typeof v === 'string' || typeof v === 'number') && String(v) === text))
    if (any.length === 1) return any[0]
  }
  return undefined
}

import { flattenAnswer, type Flat } from './flatten.ts'
import type { RecordedAnswer, RunRecord } from './run-record.ts'

/**
 * Pure. Noise is learned, not configured: where two runs of the baseline differ (generated IDs, timestamps,
 * tickets), differences mean nothing. A key is a field name (see noiseKey) and holds across checks and operations. Where only values
 * differ but their shape holds (`2024-01-15T09:30:00` vs `2024-01-16T10:01:59`), the shape still counts, so a
 * changed format is still found; where even the shape varies (GUIDs), the key is ignored altogether.
 */
export interface Noise {
  values: Set<string>
  shapes: Set<string>
  /**
   * Fields that hold generated identifiers (numbers or GUIDs, a different value in most checks). Two runs number
   * things in whatever order their checks ran, so these compare by role: the same identifier as the one first met
   * at the same place in the check, whatever its digits.
   */
  identifiers: Set<string>
}

const ID_SHAPED = /^(\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i

/** Fields whose values are all identifier-shaped and vary from check to check (see Noise.identifiers). */
export function identifierFields(run: RunRecord): Set<string> {
  const seen = new Map<string, { values: Set<string>; checks: number; idShaped: boolean }>()
  for (const check of run.checks.values()) {
    const inCheck = new Set<string>()
    for (const a of check.answers) {
      for (const [path, value] of flatOf(a)) {
        const key = noiseKey(path)
        if (key === path) continue
        const s = seen.get(key) ?? { values: new Set<string>(), checks: 0, idShaped: true }
        s.values.add(value)
        s.idShaped &&= ID_SHAPED.test(value)
        if (!inCheck.has(key)) s.checks++
        inCheck.add(key)
        seen.set(key, s)
      }
    }
  }
  // Only fields named as identifiers (`UserID`, `organisationId`) or holding GUIDs: a phone number is also all
  // digits and different in every check, but it is data the check chose, and must compare by value.
  const named = (key: string, values: Set<string>) => /id$/i.test(key) || [...values].every((v) => v.includes('-'))
  return new Set([...seen].filter(([k, s]) => s.idShaped && named(k, s.values) && s.values.size >= 5 && s.values.size * 2 >= s.checks).map(([k]) => k))
}

/** Per check: each identifier value as `#n`, n its order of first appearance among the check's answers. */
export function identifierRoles(answers: RecordedAnswer[], identifiers: Set<string>): Map<string, string> {
  const roles = new Map<string, string>()
  for (const a of answers) {
    for (const [path, value] of flatOf(a)) {
      if (identifiers.has(noiseKey(path)) && !roles.has(value)) roles.set(value, `#${roles.size + 1}`)
    }
  }
  return roles
}

/** Digits become 9, letters a: the format of a value without its content. */
export function shapeOf(value: string): string {
  return value.replace(/\d+/g, '9').replace(/\p{L}+/gu, 'a')
}

/**
 * Noise is learned per field name, whatever the operation or API (`UserID` in a SOAP answer, `$.data.userId` in
 * a JSON one): a generated ID that happened to come out the same in both baseline runs for one operation is
 * still known as noise from another.
 */
export function noiseKey(path: string): string {
  if (!path.startsWith('/') && !path.startsWith('$')) return path
  const leaf = path.split(/[./]/).pop() ?? path
  return `field ${leaf.replace(/\[\d+\]$/, '').toLowerCase()}`
}

const flattened = new WeakMap<RecordedAnswer, Flat>()

/** An answer as fields; each answer is parsed once, though noise learning and comparison both read it. */
export function flatOf(a: RecordedAnswer): Flat {
  let flat = flattened.get(a)
  if (!flat) {
    flat = flattenAnswer({ status: a.status, contentType: a.contentType, body: a.body })
    flattened.set(a, flat)
  }
  return flat
}

/** The fields where two answers to the same call differ: path, the first's value, the second's (absent: undefined). */
export function differingFields(x: RecordedAnswer, y: RecordedAnswer): Array<[string, string | undefined, string | undefined]> {
  const [fx, fy] = [flatOf(x), flatOf(y)]
  return [...new Set([...fx.keys(), ...fy.keys()])]
    .map((path): [string, string | undefined, string | undefined] => [path, fx.get(path), fy.get(path)])
    .filter(([, vx, vy]) => vx !== vy)
}

export function learnNoise(first: RunRecord, second: RunRecord): Noise {
  const noise: Noise = { values: new Set(), shapes: new Set(), identifiers: identifierFields(first) }
  for (const [id, a] of first.checks) {
    const b = second.checks.get(id)
    if (!b) continue
    const n = Math.min(a.answers.length, b.answers.length)
    for (let i = 0; i < n; i++) {
      const [x, y] = [a.answers[i]!, b.answers[i]!]
      if (x.operation !== y.operation) continue
      for (const [path, vx, vy] of differingFields(x, y)) {
        const key = noiseKey(path)
        noise.values.add(key)
        if (vx === undefined || vy === undefined || shapeOf(vx) !== shapeOf(vy)) noise.shapes.add(key)
      }
    }
  }
  return noise
}

import type { CheckStatus } from '../engine/result.ts'
import { differingFields, identifierRoles, noiseKey, shapeOf, type Noise } from './noise.ts'
import type { RecordedAnswer, RecordedCheck, RunRecord } from './run-record.ts'
import { userRoles, type UserRoles } from './user-roles.ts'

/** Pure: what changed between the baseline's run and the candidate's, check by check. */

export type Verdict = 'regression' | 'fix' | 'both-failing' | 'differs' | 'same' | 'not-compared' | 'unstable' | 'only-baseline' | 'only-candidate'

/** Blockers first: the order reports list verdicts in. */
export const VERDICTS: readonly Verdict[] = [
  'regression',
  'unstable',
  'differs',
  'both-failing',
  'fix',
  'only-baseline',
  'only-candidate',
  'not-compared',
  'same',
]

export interface AnswerDifference {
  /** Index of the exchange within the check. */
  exchange: number
  operation: string
  kind: 'value' | 'format' | 'added' | 'removed' | 'sequence' | 'status'
  path: string
  baseline?: string
  candidate?: string
}

export interface Side {
  status: CheckStatus
  category: string | null
  message: string | null
}

export interface CheckComparison {
  id: string
  title: string
  api: string
  operation: string
  binding: string
  level: string
  verdict: Verdict
  baseline?: Side
  candidate?: Side
  differences: AnswerDifference[]
  /** Both sides' answers, for the side-by-side view (checks that differ or regressed). */
  answers?: Array<{ operation: string; baseline?: RecordedAnswer; candidate?: RecordedAnswer }>
}

const ok = (s: CheckStatus) => s === 'passed' || s === 'warned'
const side = (c: RecordedCheck): Side => ({ status: c.status, category: c.category, message: c.message })

/** `users`: the check's user data by role on both sides (default: as these answers alone show them). */
export function compareAnswers(
  baseline: RecordedAnswer[],
  candidate: RecordedAnswer[],
  noise: Noise,
  users: UserRoles = userRoles(baseline, candidate),
): AnswerDifference[] {
  const out: AnswerDifference[] = []
  const seq = (xs: RecordedAnswer[]) => xs.map((x) => x.operation).join(', ')
  if (seq(baseline) !== seq(candidate)) {
    out.push({ exchange: 0, operation: '', kind: 'sequence', path: 'calls', baseline: seq(baseline), candidate: seq(candidate) })
  }
  const n = Math.min(baseline.length, candidate.length)
  const [rolesB, rolesC] = [identifierRoles(baseline, noise.identifiers), identifierRoles(candidate, noise.identifiers)]
  // First what user data explains; what is left of an answer describing a user may be that user's history.
  const moves = new Set<number>()
  const left: Array<{ exchange: number; operation: string; path: string; vb?: string; vc?: string; describesUser: boolean; format?: true }> = []
  for (let i = 0; i < n; i++) {
    const [b, c] = [baseline[i]!, candidate[i]!]
    if (b.operation !== c.operation) break
    const here: typeof left = []
    let describesUser = false
    for (const [path, vb, vc] of differingFields(b, c)) {
      const key = noiseKey(path)
      if (noise.shapes.has(key)) continue
      if (vb !== undefined && vc !== undefined && noise.identifiers.has(key) && rolesB.get(vb) === rolesC.get(vc)) continue
      if (vb !== undefined && vc !== undefined && users.same(path, vb, vc)) {
        describesUser = true
        if (users.moved(path, vb, vc)) moves.add(Number(raw(vc)) - Number(raw(vb)))
        // Another user's date is user data; the same date written another way is the target's behaviour.
        if (!sameTimeFormat(vb, vc)) here.push({ exchange: i, operation: b.operation, path, vb, vc, describesUser: false, format: true })
        continue
      }
      here.push({ exchange: i, operation: b.operation, path, ...(vb !== undefined ? { vb } : {}), ...(vc !== undefined ? { vc } : {}), describesUser: false })
    }
    left.push(...here.map((d) => ({ ...d, describesUser })))
  }
  const both = (d: (typeof left)[number]): d is (typeof left)[number] & { vb: string; vc: string } => d.vb !== undefined && d.vc !== undefined
  const integers = (d: { vb: string; vc: string }) => /^-?\d+$/.test(d.vb) && /^-?\d+$/.test(d.vc)
  const history = new Set(left.filter((d) => d.describesUser && both(d) && users.history(d.path, d.vb, d.vc)))
  // A count of the user's own that the check moved (a logout's remaining sessions) moved alike where an answer describing
  // the user shows it: the same difference between the sides is the same history.
  const counts = new Set([
    ...moves,
    ...[...history]
      .filter(both)
      .filter(integers)
      .map((d) => Number(d.vc) - Number(d.vb)),
  ])
  for (const d of left) {
    if (history.has(d) && !d.format) continue
    if (both(d) && integers(d) && counts.has(Number(d.vc) - Number(d.vb)) && users.history(d.path, d.vb, d.vc)) continue
    const { vb, vc } = d
    const base = {
      exchange: d.exchange,
      operation: d.operation,
      path: d.path,
      ...(vb !== undefined ? { baseline: vb } : {}),
      ...(vc !== undefined ? { candidate: vc } : {}),
    }
    if (vb === undefined) out.push({ ...base, kind: 'added' })
    else if (vc === undefined) out.push({ ...base, kind: 'removed' })
    else if (d.format) out.push({ ...base, kind: 'format' })
    else if (noise.values.has(noiseKey(d.path))) {
      if (shapeOf(vb) !== shapeOf(vc)) out.push({ ...base, kind: 'format' })
    } else out.push({ ...base, kind: 'value' })
  }
  return out
}

/** A JSON number or an XML text as the number it holds (JSON strings are never counts). */
const raw = (v: string) => (v.startsWith('"') ? Number.NaN : Number(v))

const TEMPORAL = /\d{4}-\d{2}-\d{2}|\d{1,2}:\d{2}|\d{1,2}\/\d{1,2}\/\d{2,4}/

/**
 * Dates and times keep their format whoever's they are (`2026-11-05T14:54:33Z` is not `2026-11-05T14:48:05`); none on
 * one side is the user's history (a fresh user never logged on).
 */
function sameTimeFormat(vb: string, vc: string): boolean {
  return vb === '' || vc === '' || !(TEMPORAL.test(vb) || TEMPORAL.test(vc)) || shapeOf(vb) === shapeOf(vc)
}

/** `baseline` is the first baseline run; `again` the second, whose disagreements with the first are noise. */
export function classify(baseline: RunRecord, again: RunRecord, candidate: RunRecord, noise: Noise): CheckComparison[] {
  const ids = [...new Set([...baseline.checks.keys(), ...candidate.checks.keys()])].sort()
  return ids.map((id) => {
    const [b, b2, c] = [baseline.checks.get(id), again.checks.get(id), candidate.checks.get(id)]
    const any = (b ?? c)!
    const head = { id, title: any.title, api: any.api, operation: any.operation, binding: any.binding, level: any.level }
    if (!b) return { ...head, verdict: 'only-candidate', candidate: side(c!), differences: [] }
    if (!c) return { ...head, verdict: 'only-baseline', baseline: side(b), differences: [] }
    const sides = { baseline: side(b), candidate: side(c) }
    const differences = compareAnswers(b.answers, c.answers, noise, userRoles(b, c))
    if (b.status !== c.status && ok(b.status) && ok(c.status)) {
      differences.unshift({ exchange: 0, operation: '', kind: 'status', path: 'verdict', baseline: b.status, candidate: c.status })
    }
    const answers = pairAnswers(b.answers, c.answers)
    let verdict: Verdict
    if (b.status === 'skipped' || c.status === 'skipped') verdict = 'not-compared'
    else if (b2 && b2.status !== 'skipped' && ok(b2.status) !== ok(b.status)) verdict = 'unstable'
    else if (ok(b.status) && !ok(c.status)) verdict = 'regression'
    else if (!ok(b.status) && ok(c.status)) verdict = 'fix'
    else if (!ok(b.status)) verdict = 'both-failing'
    else verdict = differences.length ? 'differs' : 'same'
    const keepAnswers = verdict === 'regression' || verdict === 'differs' || verdict === 'both-failing' || verdict === 'fix'
    return { ...head, verdict, ...sides, differences, ...(keepAnswers ? { answers } : {}) }
  })
}

function pairAnswers(baseline: RecordedAnswer[], candidate: RecordedAnswer[]): NonNullable<CheckComparison['answers']> {
  return Array.from({ length: Math.max(baseline.length, candidate.length) }, (_, i) => {
    const [b, c] = [baseline[i], candidate[i]]
    return { operation: (b ?? c)!.operation, ...(b ? { baseline: shown(b) } : {}), ...(c ? { candidate: shown(c) } : {}) }
  })
}

/** An answer as the report shows it: what came back, not the request the role mapping read. */
function shown({ operation, method, path, status, contentType, body }: RecordedAnswer): RecordedAnswer {
  return { operation, method, path, status, contentType, body }
}

export function summarise(checks: CheckComparison[]): Record<Verdict, number> & { checks: number; blockers: number } {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, checks.filter((c) => c.verdict === v).length])) as Record<Verdict, number>
  return { checks: checks.length, blockers: counts.regression, ...counts }
}

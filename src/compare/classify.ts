import type { CheckStatus } from '../engine/result.ts'
import { differingFields, identifierRoles, noiseKey, shapeOf, type Noise } from './noise.ts'
import type { RecordedAnswer, RecordedCheck, RunRecord } from './run-record.ts'
import { userRoles } from './user-roles.ts'

/** Pure: what changed between the baseline's run and the candidate's, check by check. */

export type Verdict = 'regression' | 'fix' | 'both-failing' | 'differs' | 'same' | 'not-compared' | 'unstable' | 'only-baseline' | 'only-candidate'

/** Blockers first: the order reports list verdicts in. */
export const VERDICTS: readonly Verdict[] = ['regression', 'unstable', 'differs', 'both-failing', 'fix', 'only-baseline', 'only-candidate', 'not-compared', 'same']

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

export function compareAnswers(baseline: RecordedAnswer[], candidate: RecordedAnswer[], noise: Noise): AnswerDifference[] {
  const out: AnswerDifference[] = []
  const seq = (xs: RecordedAnswer[]) => xs.map((x) => x.operation).join(', ')
  if (seq(baseline) !== seq(candidate)) {
    out.push({ exchange: 0, operation: '', kind: 'sequence', path: 'calls', baseline: seq(baseline), candidate: seq(candidate) })
  }
  const n = Math.min(baseline.length, candidate.length)
  const [rolesB, rolesC] = [identifierRoles(baseline, noise.identifiers), identifierRoles(candidate, noise.identifiers)]
  const users = userRoles(baseline, candidate)
  for (let i = 0; i < n; i++) {
    const [b, c] = [baseline[i]!, candidate[i]!]
    if (b.operation !== c.operation) break
    for (const [path, vb, vc] of differingFields(b, c)) {
      const key = noiseKey(path)
      if (noise.shapes.has(key)) continue
      if (vb !== undefined && vc !== undefined && noise.identifiers.has(key) && rolesB.get(vb) === rolesC.get(vc)) continue
      if (vb !== undefined && vc !== undefined && users.same(path, vb, vc)) continue
      const base = { exchange: i, operation: b.operation, path, ...(vb !== undefined ? { baseline: vb } : {}), ...(vc !== undefined ? { candidate: vc } : {}) }
      if (vb === undefined) out.push({ ...base, kind: 'added' })
      else if (vc === undefined) out.push({ ...base, kind: 'removed' })
      else if (noise.values.has(key)) {
        if (shapeOf(vb) !== shapeOf(vc)) out.push({ ...base, kind: 'format' })
      } else out.push({ ...base, kind: 'value' })
    }
  }
  return out
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
    const differences = compareAnswers(b.answers, c.answers, noise)
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

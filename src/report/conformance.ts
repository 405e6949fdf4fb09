import type { BindingName } from '../bindings/types.ts'
import type { Catalogue } from '../catalogue.ts'
import type { CheckResult, CheckStatus } from '../engine/result.ts'
import type { Level } from '../spec/model.ts'
import { targetOffers } from '../spec/offered.ts'
import type { Shard } from '../run/shard.ts'
import { loadFigures, type LoadFigures } from './load.ts'
import { failsAt, failureWeight, NO_CHECK_REASON, verdictOf, type CellStatus, type Verdict } from './verdict.ts'

export type { CellStatus }

export interface BehaviourRow {
  id: string
  level: Level
  title: string
  api: string
  bindings: Partial<Record<BindingName, CellStatus>>
  /** First failure message per binding (a failed or warned cell). */
  messages?: Partial<Record<BindingName, string>>
  /** Why a `not verified` cell was not verified, per binding. */
  reasons?: Partial<Record<BindingName, string>>
}

/** A behaviour × binding cell no executed check verified. */
export interface UnverifiedCell {
  id: string
  binding: BindingName
  level: Level
  reason: string
}

export interface ConformanceReport {
  tool: { name: string; version: string }
  target: string
  seed: number
  startedAt: string
  durationMs: number
  deviations?: string[]
  /** The APIs this run covered, and the bindings the target offers per API where it lists them (merge needs both). */
  apis: string[]
  bindingsOffered: Record<string, BindingName[]>
  /** `--shard i/n`: this report holds one shard's checks (see `conform merge`). */
  shard?: Shard
  /** `--repeat N`: each check ran N times (its row's `repeat` says how each went). */
  repeat?: number
  /** `--covers` / `--binding`: the run asked for these only; the matrix and the unverified cells are limited to them. */
  selected?: Selection
  /**
   * `verdict` (src/report/verdict.ts); `conformant` is `verdict === 'conformant'`. `retries`: requests sent again after a
   * 429/503 with Retry-After, over all checks. `suiteErrors`: what went wrong in the suite itself (then no verdict).
   */
  summary: {
    checks: number
    passed: number
    failed: number
    warned: number
    skipped: number
    verdict: Verdict
    conformant: boolean
    retries: number
    /**
     * Selected MUST cells not verified, MUST cells verified by only some of their checks (the rest not run), and the
     * reasons of every unverified cell with how many cells each.
     */
    unverifiedMust: number
    partialMust: number
    unverifiedReasons: Array<{ reason: string; cells: number }>
    suiteErrors?: string[]
    interrupted?: string
  }
  /**
   * `cells`: selected behaviour × binding cells; `verified`: those with at least one executed check; `partial`: verified
   * cells some of whose checks did not run (why, in `reason`).
   */
  coverage: { cells: number; verified: number; notVerified: UnverifiedCell[]; partial: UnverifiedCell[] }
  /**
   * How busy the run kept the target (src/report/load.ts): requests, first request → last answer, request slots busy
   * against `limits.concurrency`. Absent without the concurrency (`conform merge`) and with `--repeat` (only some
   * runs keep their exchanges).
   */
  load?: LoadFigures
  behaviours: BehaviourRow[]
  checks: ReportedCheck[]
}

/** A check as conformance.json holds it: everything but the exchanges (those are in the HAR). */
export type ReportedCheck = Omit<CheckResult, 'exchanges' | 'control'> & { failedBehaviours: string[] }

export interface ReportMeta {
  tool: { name: string; version: string }
  target: string
  seed: number
  startedAt: string
  durationMs: number
  deviations: string[]
  /** APIs this run covered: behaviours of other APIs are not listed. */
  apis: string[]
  /** Bindings the target offers per API (absent: all). */
  bindingsOffered: Record<string, BindingName[] | undefined>
  shard?: Shard
  repeat?: number
  selected?: Selection
  /** Problems of the suite itself: the report then gives no verdict (`suite error`). */
  suiteErrors?: string[]
  /** Why the run was stopped before it ended (SIGINT/SIGTERM): the report then gives no verdict (`interrupted`). */
  interrupted?: string
  /** The target's `limits.concurrency`, for the `load` figures (absent: none). */
  concurrency?: number
}

export interface Selection {
  covers?: string[]
  bindings?: BindingName[]
  /** `--spec`: only these specs ran (their behaviours' other specs were not asked for). */
  specs?: string[]
}

type Executed = Exclude<CellStatus, 'not verified'>
const RANK: Record<Executed, number> = { failed: 3, warned: 2, passed: 1 }

/** A check speaks for a binding it ran on, or (cross-API checks) the binding of its counterpart. */
function ranOn(check: CheckResult, binding: BindingName): boolean {
  return check.binding === binding || check.counterpart?.binding === binding
}

function worse(a: Executed | undefined, b: Executed): Executed {
  return a === undefined || RANK[b] > RANK[a] ? b : a
}

/** What one executed check says about one behaviour it covers (or an X-* behaviour every check exercises). */
function verdictFor(check: CheckResult, behaviour: string, catalogue: Catalogue, crossCutting: boolean): Executed {
  // A check that could not reach the target or set itself up verified nothing it covers, nor any cross-cutting behaviour.
  const blocking = check.failures.filter(
    (f) => f.behaviours.includes(behaviour) || ((f.category === 'setup' || f.category === 'transport') && (crossCutting || check.covers.includes(behaviour))),
  )
  if (blocking.length === 0) return 'passed'
  const level = catalogue.get(behaviour)?.level ?? 'MUST'
  // A SHOULD cell fails where its check failed (--strict, or a MUST of the same check failed).
  return blocking.some((f) => failsAt(failureWeight(f.category, level), check.status === 'failed')) ? 'failed' : 'warned'
}

/** conformance.json: the machine-readable truth of a run. Pure. */
export function buildConformance(checks: CheckResult[], catalogue: Catalogue, meta: ReportMeta): ConformanceReport {
  const sorted = [...checks].sort((a, b) => a.id.localeCompare(b.id))
  const rows: BehaviourRow[] = []
  const unverified: UnverifiedCell[] = []
  const partial: UnverifiedCell[] = []
  for (const b of catalogue.values()) {
    const crossCutting = b.api === '*'
    if (!crossCutting && !meta.apis.includes(b.api)) continue
    // A run asked for some behaviours: the others are not cells of that run (filtered out), just not asked for.
    if (!crossCutting && meta.selected?.covers && !meta.selected.covers.includes(b.id)) continue
    const row: BehaviourRow = { id: b.id, level: b.level, title: b.title, api: b.api, bindings: {} }
    for (const binding of b.bindings) {
      if (meta.selected?.bindings && !meta.selected.bindings.includes(binding)) continue
      const offeredSomewhere = crossCutting
        ? sorted.some((c) => c.binding === binding)
        : targetOffers(meta.bindingsOffered[b.api], binding) || sorted.some((c) => c.counterpart?.binding === binding)
      if (!offeredSomewhere) continue
      const relevant = sorted.filter((c) => (crossCutting ? c.binding === binding : ranOn(c, binding) && c.covers.includes(b.id)))
      // `--spec`: a cell is the run's only where a selected spec has a check.
      if (meta.selected?.specs && relevant.length === 0) continue
      let cell: Executed | undefined
      for (const c of relevant) {
        if (c.status === 'skipped') continue
        const v = verdictFor(c, b.id, catalogue, crossCutting)
        cell = worse(cell, v)
        if ((v === 'failed' || v === 'warned') && !row.messages?.[binding]) {
          row.messages = { ...row.messages, [binding]: `${c.id}: ${c.failures.find((f) => f.behaviours.includes(b.id))?.message ?? c.message ?? ''}` }
        }
      }
      row.bindings[binding] = cell ?? 'not verified'
      const notRun = relevant.filter((c) => c.status === 'skipped')
      if (cell && notRun.length && !crossCutting) {
        // Verified by some of its checks only: the cell shows what they found, and the run is not complete.
        const reason = `${relevant.length - notRun.length} of ${relevant.length} checks ran; not run: ${notRun[0]!.message ?? 'no reason given'}`
        row.reasons = { ...row.reasons, [binding]: reason }
        partial.push({ id: b.id, binding, level: b.level, reason })
      }
      if (!cell) {
        // A cell is verified only by a check that executed: the first skipped check's reason says why none did.
        const reason =
          relevant.find((c) => c.status === 'skipped')?.message ??
          (meta.suiteErrors?.length ? 'the suite itself failed before a check of it reported' : NO_CHECK_REASON)
        row.reasons = { ...row.reasons, [binding]: reason }
        unverified.push({ id: b.id, binding, level: b.level, reason })
      }
    }
    rows.push(row)
  }
  const count = (s: CheckStatus) => sorted.filter((c) => c.status === s).length
  const unverifiedMust = unverified.filter((u) => u.level === 'MUST').length
  const partialMust = partial.filter((u) => u.level === 'MUST').length
  const suiteErrors = meta.suiteErrors ?? []
  const verdict = verdictOf({
    failedChecks: count('failed'),
    unverifiedMustCells: unverifiedMust + partialMust,
    suiteErrors,
    ...(meta.interrupted ? { interrupted: meta.interrupted } : {}),
  })
  const reasons = new Map<string, number>()
  for (const u of unverified) reasons.set(u.reason, (reasons.get(u.reason) ?? 0) + 1)
  const summary: ConformanceReport['summary'] = {
    checks: sorted.length,
    passed: count('passed'),
    failed: count('failed'),
    warned: count('warned'),
    skipped: count('skipped'),
    verdict,
    conformant: verdict === 'conformant',
    retries: sorted.reduce((n, c) => n + (c.retries ?? 0), 0),
    unverifiedMust,
    partialMust,
    unverifiedReasons: [...reasons].map(([reason, cells]) => ({ reason, cells })).sort((a, b) => b.cells - a.cells),
    ...(suiteErrors.length ? { suiteErrors: [...suiteErrors] } : {}),
    ...(meta.interrupted ? { interrupted: meta.interrupted } : {}),
  }
  const cells = rows.flatMap((r) => Object.values(r.bindings))
  const load = meta.concurrency !== undefined && !(meta.repeat && meta.repeat > 1) ? loadFigures(sorted, meta.concurrency) : undefined
  return {
    tool: meta.tool,
    target: meta.target,
    seed: meta.seed,
    startedAt: meta.startedAt,
    durationMs: meta.durationMs,
    ...(meta.deviations.length ? { deviations: meta.deviations } : {}),
    apis: meta.apis,
    bindingsOffered: Object.fromEntries(Object.entries(meta.bindingsOffered).filter((e): e is [string, BindingName[]] => e[1] !== undefined)),
    ...(meta.shard && meta.shard.count > 1 ? { shard: meta.shard } : {}),
    ...(meta.selected ? { selected: meta.selected } : {}),
    ...(meta.repeat && meta.repeat > 1 ? { repeat: meta.repeat } : {}),
    summary,
    coverage: { cells: cells.length, verified: cells.filter((c) => c !== 'not verified').length, notVerified: unverified, partial },
    ...(load ? { load } : {}),
    behaviours: rows,
    checks: sorted.map(({ exchanges: _e, control: _c, ...rest }) => ({
      ...rest,
      failedBehaviours: [...new Set(rest.failures.flatMap((f) => f.behaviours))].sort(),
    })),
  }
}

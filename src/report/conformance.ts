import type { BindingName } from '../bindings/types.ts'
import type { Catalogue } from '../catalogue.ts'
import type { CheckResult, CheckStatus } from '../engine/result.ts'
import type { Level } from '../spec/model.ts'
import type { Shard } from '../run/shard.ts'

export type CellStatus = CheckStatus | 'not covered'

export interface BehaviourRow {
  id: string
  level: Level
  title: string
  api: string
  bindings: Partial<Record<BindingName, CellStatus>>
  /** First failure message per binding, for the matrix's hover text. */
  messages?: Partial<Record<BindingName, string>>
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
  /** `--covers` / `--binding`: the run asked for these only; the matrix and the holes are limited to them. */
  selected?: Selection
  /** `retries`: requests sent again after a 429/503 with Retry-After, over all checks. */
  summary: { checks: number; passed: number; failed: number; warned: number; skipped: number; conformant: boolean; retries: number }
  coverage: { behaviours: number; covered: number; holes: Array<{ id: string; binding: BindingName }> }
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
}

export interface Selection {
  covers?: string[]
  bindings?: BindingName[]
}

const RANK: Record<CellStatus, number> = { failed: 5, warned: 4, passed: 3, skipped: 2, 'not covered': 1 }

/** A check speaks for a binding it ran on, or (cross-API checks) the binding of its counterpart. */
function ranOn(check: CheckResult, binding: BindingName): boolean {
  return check.binding === binding || check.counterpart?.binding === binding
}

function worse(a: CellStatus | undefined, b: CellStatus): CellStatus {
  return a === undefined || RANK[b] > RANK[a] ? b : a
}

/** What one check says about one behaviour it covers (or an X-* behaviour every check exercises). */
function verdictFor(check: CheckResult, behaviour: string, catalogue: Catalogue, crossCutting: boolean): CheckStatus {
  if (check.status === 'skipped') return 'skipped'
  // A check that could not reach the target or set itself up verified nothing it covers, nor any cross-cutting behaviour.
  const blocking = check.failures.filter((f) => f.behaviours.includes(behaviour) || ((f.category === 'setup' || f.category === 'transport') && (crossCutting || check.covers.includes(behaviour))))
  if (blocking.length === 0) return 'passed'
  const level = catalogue.get(behaviour)?.level ?? 'MUST'
  if (blocking.some((f) => f.category === 'setup' || f.category === 'transport')) return 'failed'
  return level === 'MUST' || (level === 'SHOULD' && check.status === 'failed') ? 'failed' : 'warned'
}

/** conformance.json: the machine-readable truth of a run. Pure. */
export function buildConformance(checks: CheckResult[], catalogue: Catalogue, meta: ReportMeta): ConformanceReport {
  const sorted = [...checks].sort((a, b) => a.id.localeCompare(b.id))
  const rows: BehaviourRow[] = []
  const holes: ConformanceReport['coverage']['holes'] = []
  for (const b of catalogue.values()) {
    const crossCutting = b.api === '*'
    if (!crossCutting && !meta.apis.includes(b.api)) continue
    // A run asked for some behaviours: the others are not holes of that run, just not asked for.
    if (!crossCutting && meta.selected?.covers && !meta.selected.covers.includes(b.id)) continue
    const row: BehaviourRow = { id: b.id, level: b.level, title: b.title, api: b.api, bindings: {} }
    for (const binding of b.bindings) {
      if (meta.selected?.bindings && !meta.selected.bindings.includes(binding)) continue
      const offeredSomewhere = crossCutting
        ? sorted.some((c) => c.binding === binding)
        : !meta.bindingsOffered[b.api] || meta.bindingsOffered[b.api]!.includes(binding) || sorted.some((c) => c.counterpart?.binding === binding)
      if (!offeredSomewhere) continue
      const relevant = sorted.filter((c) => (crossCutting ? c.binding === binding : ranOn(c, binding) && c.covers.includes(b.id)))
      let cell: CellStatus | undefined
      for (const c of relevant) {
        const v = verdictFor(c, b.id, catalogue, crossCutting)
        cell = worse(cell, v)
        if ((v === 'failed' || v === 'warned') && !row.messages?.[binding]) {
          row.messages = { ...row.messages, [binding]: `${c.id}: ${c.failures.find((f) => f.behaviours.includes(b.id))?.message ?? c.message ?? ''}` }
        }
      }
      row.bindings[binding] = cell ?? 'not covered'
      if (!cell) holes.push({ id: b.id, binding })
    }
    rows.push(row)
  }
  const count = (s: CheckStatus) => sorted.filter((c) => c.status === s).length
  const summary = {
    checks: sorted.length, passed: count('passed'), failed: count('failed'), warned: count('warned'), skipped: count('skipped'), conformant: count('failed') === 0,
    retries: sorted.reduce((n, c) => n + (c.retries ?? 0), 0),
  }
  const cells = rows.flatMap((r) => Object.values(r.bindings))
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
    coverage: { behaviours: cells.length, covered: cells.filter((c) => c !== 'not covered').length, holes },
    behaviours: rows,
    checks: sorted.map(({ exchanges: _e, control: _c, ...rest }) => ({
      ...rest,
      failedBehaviours: [...new Set(rest.failures.flatMap((f) => f.behaviours))].sort(),
    })),
  }
}

/** Combining the reports of sharded runs: pure, from parsed shard reports to one report as if one run made it. */
import type { BindingName } from '../bindings/types.ts'
import type { Catalogue } from '../catalogue.ts'
import type { CheckResult } from '../engine/result.ts'
import { ConformError } from '../errors.ts'
import { buildConformance, type ConformanceReport } from './conformance.ts'
import type { Har } from './har.ts'

export interface ShardInput {
  /** Where the shard's reports came from, for messages. */
  name: string
  report: ConformanceReport
}

function mismatch(message: string): ConformError {
  return new ConformError('MERGE_MISMATCH', 'spec', message)
}

function same<T>(shards: ShardInput[], what: string, pick: (r: ConformanceReport) => T): T {
  const first = JSON.stringify(pick(shards[0]!.report))
  for (const s of shards) {
    if (JSON.stringify(pick(s.report)) !== first) {
      throw mismatch(
        `the shards differ in ${what}: ${shards[0]!.name} has ${first}, ${s.name} has ${JSON.stringify(pick(s.report))}; only shards of one run can be merged`,
      )
    }
  }
  return pick(shards[0]!.report)
}

/** Each shard once, all of them, when the shards say which they are. */
function checkShardSet(shards: ShardInput[]): void {
  const declared = shards.filter((s) => s.report.shard)
  if (declared.length === 0) return
  if (declared.length !== shards.length)
    throw mismatch(
      `some reports are shards and some are not (${shards
        .filter((s) => !s.report.shard)
        .map((s) => s.name)
        .join(', ')})`,
    )
  const count = same(shards, 'shard count', (r) => r.shard!.count)
  const seen = new Map<number, string>()
  for (const s of shards) {
    const other = seen.get(s.report.shard!.index)
    if (other) throw mismatch(`${other} and ${s.name} are both shard ${s.report.shard!.index}/${count}`)
    seen.set(s.report.shard!.index, s.name)
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i))
  if (missing.length)
    throw mismatch(
      `shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: a merge of part of a run would report part of the verdict`,
    )
}

/** The checks of every shard, as check results (their exchanges stay in the shards' HAR files). */
export function mergedChecks(shards: ShardInput[]): CheckResult[] {
  const owner = new Map<string, string>()
  const checks: CheckResult[] = []
  for (const s of shards) {
    for (const row of s.report.checks) {
      if (!Array.isArray(row.failures) || typeof row.line !== 'number') {
        throw mismatch(`${s.name}: its checks lack failures and line (written by an older conform?); run the shards again`)
      }
      const other = owner.get(row.id)
      if (other) throw mismatch(`check ${row.id} is in both ${other} and ${s.name}`)
      owner.set(row.id, s.name)
      const { failedBehaviours: _derived, ...check } = row
      checks.push({ ...check, exchanges: [] })
    }
  }
  return checks
}

/** One report over all shards: summary, behaviours and coverage re-derived from the merged checks. */
export function mergeReports(shards: ShardInput[], catalogue: Catalogue): { report: ConformanceReport; checks: CheckResult[] } {
  if (shards.length === 0) throw mismatch('nothing to merge')
  const target = same(shards, 'target', (r) => r.target)
  const seed = same(shards, 'seed', (r) => r.seed)
  const deviations = same(shards, 'deviations', (r) => [...(r.deviations ?? [])].sort())
  const repeat = same(shards, 'repeat', (r) => r.repeat ?? 1)
  const selected = same(shards, 'selected', (r) => r.selected)
  same(shards, 'tool', (r) => r.tool)
  checkShardSet(shards)
  const checks = mergedChecks(shards)
  const starts = shards.map((s) => Date.parse(s.report.startedAt))
  const ends = shards.map((s, i) => starts[i]! + s.report.durationMs)
  const apis = [...new Set(shards.flatMap((s) => s.report.apis ?? []))]
  const bindingsOffered: Record<string, BindingName[]> = {}
  for (const s of shards) Object.assign(bindingsOffered, s.report.bindingsOffered ?? {})
  const start = Math.min(...starts)
  const suiteErrors = shards.flatMap((s) => (s.report.summary.suiteErrors ?? []).map((e) => `${s.name}: ${e}`))
  const report = buildConformance(checks, catalogue, {
    tool: shards[0]!.report.tool,
    target,
    seed,
    startedAt: new Date(start).toISOString(),
    durationMs: Math.max(...ends) - start,
    deviations,
    apis,
    bindingsOffered,
    ...(repeat > 1 ? { repeat } : {}),
    ...(selected ? { selected } : {}),
    ...(suiteErrors.length ? { suiteErrors } : {}),
  })
  return { report, checks }
}

/** The shards' HAR files as one: every page, every entry, in time order. */
export function mergeHar(hars: Har[]): Har {
  if (hars.length === 0) throw mismatch('no HAR to merge')
  const entries = hars.flatMap((h) => h.log.entries)
  // Stable: entries of one millisecond keep their recorded order.
  entries.sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime))
  return { log: { ...hars[0]!.log, pages: hars.flatMap((h) => h.log.pages), entries } }
}

import { ConformError } from '../errors.ts'
import { planCases, type Case, type PlanFilters } from '../engine/plan.ts'
import type { ResolvedTarget } from '../engine/target.ts'
import type { Project } from '../project.ts'

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number
  count: number
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim())
  const index = m ? Number(m[1]) : NaN
  const count = m ? Number(m[2]) : NaN
  if (!m || count < 1 || index < 1 || index > count) {
    throw new ConformError('BAD_USAGE', 'spec', `--shard expects i/n with 1 ≤ i ≤ n (e.g. 2/4), got "${text}"`)
  }
  return { index, count }
}

/**
 * The cases of one shard: every n-th of the planned cases (sorted by id), starting at the i-th. Deterministic, and
 * the shards together are exactly the plan, each case in one shard; APIs and bindings spread evenly over shards.
 */
export function shardCases<T>(cases: readonly T[], shard: Shard | undefined): T[] {
  if (!shard || shard.count === 1) return [...cases]
  return cases.filter((_, i) => i % shard.count === shard.index - 1)
}

/** What a run executes: the plan for the target and filters, then this shard's part of it. */
export function planRun(project: Project, target: ResolvedTarget, filters: PlanFilters & { shard?: Shard }): Case[] {
  return shardCases(planCases(project, target, filters), filters.shard)
}

import type { Case } from './plan.ts'
import type { ResolvedTarget } from './target.ts'

/**
 * The fixture accounts a check will hold, as counts per pool (`<api>:<role>`). Empty when it holds none: the target
 * provisions fresh users, or the check is skipped before taking any (writes not allowed, starting values needed).
 */
export function accountsNeeded(c: Case, target: ResolvedTarget): Map<string, number> {
  const needs = new Map<string, number>()
  const t = target.apis[c.api.api]
  if (!t || t.provisioning || (c.writes && !target.allowWrites)) return needs
  const users = Object.values(c.spec.users)
  if (users.some((u) => u.with)) return needs
  for (const u of users) {
    const pool = `${c.api.api}:${u.role}`
    needs.set(pool, (needs.get(pool) ?? 0) + 1)
  }
  return needs
}

/** How many accounts a pool has on this target; undefined where users are provisioned (no limit). */
export function poolCapacity(target: ResolvedTarget, pool: string): number | undefined {
  const [api = '', role = ''] = pool.split(':')
  const t = target.apis[api]
  return !t || t.provisioning ? undefined : (t.fixtures[role]?.length ?? 0)
}

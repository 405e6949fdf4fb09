import type { Case } from './plan.ts'
import type { ResolvedTarget } from './target.ts'

/**
 * A fixture account's identity: its configured values (credentials still `${env:…}` references, never resolved
 * here). Two APIs of one backend (ECGridOS SOAP and ECGrid REST) may list the same accounts: one user, whichever API
 * a check goes through.
 */
export function accountKey(raw: Record<string, string>): string {
  return JSON.stringify(Object.entries(raw).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/**
 * The scheduler's pools of a target: `<api>:<role>` lists whose accounts overlap are one pool (named after all of
 * them), so that a check through one API and a check through the other never hold the same user at once.
 */
export interface Pools {
  /** The pool an API's role draws from; undefined where users are provisioned. */
  of(api: string, role: string): string | undefined
  /** How many accounts a pool has (for merged lists, the smallest: the checks held back are never wrong). */
  capacity(pool: string): number
}

export function fixturePools(target: ResolvedTarget): Pools {
  const lists = new Map<string, string[]>()
  for (const [api, t] of Object.entries(target.apis)) {
    if (t.provisioning) continue
    for (const [role, accounts] of Object.entries(t.fixtures)) lists.set(`${api}:${role}`, accounts.map(accountKey))
  }
  // Union of lists sharing an account.
  const parent = new Map([...lists.keys()].map((k) => [k, k]))
  const root = (k: string): string => {
    let r = k
    while (parent.get(r) !== r) r = parent.get(r)!
    return r
  }
  const owner = new Map<string, string>()
  for (const [list, keys] of lists) {
    for (const key of keys) {
      const other = owner.get(key)
      if (other === undefined) owner.set(key, list)
      else parent.set(root(list), root(other))
    }
  }
  const members = new Map<string, string[]>()
  for (const list of lists.keys()) members.set(root(list), [...(members.get(root(list)) ?? []), list])
  const name = new Map<string, string>()
  const capacity = new Map<string, number>()
  for (const group of members.values()) {
    const pool = [...group].sort().join('+')
    for (const list of group) name.set(list, pool)
    capacity.set(pool, Math.min(...group.map((l) => lists.get(l)!.length)))
  }
  return {
    of: (api, role) => (target.apis[api]?.provisioning ? undefined : name.get(`${api}:${role}`) ?? `${api}:${role}`),
    // A role the target lists no account for: no capacity, the check fails on its own (NO_FIXTURE).
    capacity: (pool) => capacity.get(pool) ?? 0,
  }
}

/**
 * The fixture accounts a check will hold, as counts per pool. Empty when it holds none: the target provisions fresh
 * users, or the check is skipped before taking any (writes not allowed, starting values needed).
 */
export function accountsNeeded(c: Case, target: ResolvedTarget, pools: Pools = fixturePools(target)): Map<string, number> {
  const needs = new Map<string, number>()
  const t = target.apis[c.api.api]
  if (!t || t.provisioning || (c.writes && !target.allowWrites)) return needs
  const users = Object.values(c.spec.users)
  if (users.some((u) => u.with)) return needs
  for (const u of users) {
    const pool = pools.of(c.api.api, u.role)
    if (pool !== undefined) needs.set(pool, (needs.get(pool) ?? 0) + 1)
  }
  return needs
}

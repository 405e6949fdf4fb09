import { accountKey, accountsNeeded, fixturePools, isDisposable, readerAccount } from '../engine/accounts.ts'
import type { Check } from '../engine/plan.ts'
import { placementOf } from '../engine/placement.ts'
import type { ResolvedTarget } from '../engine/target.ts'
import type { ApiDescription } from '../spec/model.ts'
import { rolesNeeded } from './preflight-accounts.ts'

/** The accounts a run uses, and how many configured ones it leaves alone. */
export interface WorkingSet {
  target: ResolvedTarget
  /** Fixture accounts the run logs in and reads (and may lend), each once however many APIs list it. */
  touched: number
  /** Fixture accounts of the target this run never touches (not logged in, not read, not written). */
  untouched: number
}

/**
 * The fixture accounts a run draws from: of each pool, as many as can be in use at once (`limits.concurrency` checks,
 * each holding what it needs: more would only wait) and never fewer than one per list, so the preflight still tells
 * a role's missing or broken accounts; each API's reader always. Kept in the config's order, so that two APIs listing
 * the same users (one backend) keep the same ones. A target of 16 accounts per role run at concurrency 4 logs in,
 * reads and logs out a quarter of them. `repeat`: runs per check (each a job of its own).
 */
export function workingSet(target: ResolvedTarget, apis: ReadonlyMap<string, ApiDescription>, cases: readonly Check[], repeat = 1): WorkingSet {
  const pools = fixturePools(target)
  const byNeed = new Map<string, { pools: readonly string[]; jobs: number; most: number }>()
  for (const c of cases) {
    for (const need of accountsNeeded(c, target, pools)) {
      const key = need.pools.join('\n')
      const e = byNeed.get(key) ?? { pools: need.pools, jobs: 0, most: 0 }
      e.jobs += Math.max(1, repeat)
      e.most = Math.max(e.most, need.n)
      byNeed.set(key, e)
    }
  }
  // A need takes its first pool's accounts, then the next pool's (ordinary, then disposable): so it is counted.
  const wanted = new Map<string, number>()
  const concurrency = Math.max(1, target.limits.concurrency)
  for (const e of byNeed.values()) {
    let left = Math.min(concurrency, e.jobs) * e.most
    for (const pool of e.pools) {
      if (left <= 0) break
      const take = Math.min(left, pools.capacity(pool))
      wanted.set(pool, (wanted.get(pool) ?? 0) + take)
      left -= take
    }
  }
  const used = new Set(cases.flatMap((c) => [c.api.api, ...(c.counterpart ? [c.counterpart.api.api] : [])]))
  const all = new Set<string>()
  const kept = new Set<string>()
  const out: ResolvedTarget['apis'] = {}
  for (const [name, t] of Object.entries(target.apis)) {
    const api = apis.get(name)
    // An API this run has no check for keeps its list (nothing of it is used) and is not counted.
    if (t.provisioning || !api || !used.has(name)) {
      out[name] = t
      continue
    }
    const reader = readerAccount(t, api)
    const keep = new Set<string>(reader ? [accountKey(reader)] : [])
    for (const [role, list] of Object.entries(t.fixtures)) {
      // One list per placement and class, each the first accounts of its pool.
      const lists = new Map<string, Array<Record<string, string>>>()
      for (const a of list) {
        all.add(accountKey(a))
        const pool = pools.of(name, role, isDisposable(t, a), placementOf(a))?.[0] ?? ''
        lists.set(pool, [...(lists.get(pool) ?? []), a])
      }
      for (const [pool, accounts] of lists) {
        for (const a of accounts.slice(0, Math.max(1, wanted.get(pool) ?? 0))) keep.add(accountKey(a))
      }
    }
    // Touched: the kept accounts of the roles the run needs (a role it does not need is never logged in nor lent).
    const needed = new Set(rolesNeeded(api, cases))
    for (const [role, list] of Object.entries(t.fixtures)) {
      if (!needed.has(role)) continue
      for (const a of list) if (keep.has(accountKey(a))) kept.add(accountKey(a))
    }
    out[name] = { ...t, fixtures: Object.fromEntries(Object.entries(t.fixtures).map(([role, list]) => [role, list.filter((a) => keep.has(accountKey(a)))])) }
  }
  return { target: { ...target, apis: out }, touched: kept.size, untouched: [...all].filter((k) => !kept.has(k)).length }
}

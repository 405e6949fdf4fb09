import type { ApiDescription } from '../spec/model.ts'
import type { Check } from './plan.ts'
import { missingPlacement, placementAsked, placementOf } from './placement.ts'
import { unrestorable, updateableOn } from './restorable.ts'
import type { Need } from './scheduler.ts'
import type { ResolvedApiTarget, ResolvedTarget } from './target.ts'

/**
 * A fixture account's identity: its configured values (credentials still `${env:…}` references, never resolved
 * here). Two APIs of one backend (ECGridOS SOAP and ECGrid REST) may list the same accounts: one user, whichever API
 * a check goes through.
 */
export function accountKey(raw: Record<string, string>): string {
  return JSON.stringify(Object.entries(raw).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/**
 * The account an API reads users back and restores them with: the first account of its read-back role, unless the
 * target names another (a sharded run withholds the reader from its checks: `src/run/shard.ts`).
 */
export function readerAccount(t: ResolvedApiTarget, api: ApiDescription): Record<string, string> | undefined {
  return t.reader ?? t.fixtures[api.readBack.as]?.[0]
}

/**
 * Marks the target's disposable accounts (config `disposable: true`) by key: an account flagged in any API's list
 * is disposable in every list, and an API's reader never is (a check that wiped its password would stop the run).
 */
export function withDisposable(
  target: ResolvedTarget,
  flagged: Record<string, Record<string, number[]> | undefined>,
  apis: ReadonlyMap<string, ApiDescription>,
): ResolvedTarget {
  const keys = new Set<string>()
  for (const [api, byRole] of Object.entries(flagged)) {
    for (const [role, positions] of Object.entries(byRole ?? {})) {
      for (const i of positions) {
        const a = target.apis[api]?.fixtures[role]?.[i]
        if (a) keys.add(accountKey(a))
      }
    }
  }
  for (const [name, t] of Object.entries(target.apis)) {
    const api = apis.get(name)
    const reader = api && readerAccount(t, api)
    if (reader) keys.delete(accountKey(reader))
  }
  if (keys.size === 0) return target
  const apisOut = Object.fromEntries(Object.entries(target.apis).map(([name, t]) => [name, { ...t, disposable: [...keys] }]))
  return { ...target, apis: apisOut }
}

/**
 * Which of a role's accounts a check draws from: one that could change what a restore cannot put back (`risky`)
 * only disposable ones; others the ordinary ones first, then the disposable ones (a check that restores everything
 * it changes does no harm to a disposable account, and a role whose accounts are all disposable but the reader
 * would otherwise run its checks one at a time on the reader).
 */
export type AccountClass = 'ordinary' | 'disposable'

export function isDisposable(t: ResolvedApiTarget, raw: Record<string, string>): boolean {
  return t.disposable?.includes(accountKey(raw)) ?? false
}

export function accountsOf(t: ResolvedApiTarget, role: string, cls: AccountClass): Array<Record<string, string>> {
  return (t.fixtures[role] ?? []).filter((a) => isDisposable(t, a) === (cls === 'disposable'))
}

/** The classes of account a check may take, in the order it takes them. */
export function accountClasses(risky: boolean): AccountClass[] {
  return risky ? ['disposable'] : ['ordinary', 'disposable']
}

/** The class a check's accounts are counted in for shards: disposable for a risky one or a role with only those. */
export function classFor(t: ResolvedApiTarget, role: string, risky: boolean): AccountClass {
  return risky || accountsOf(t, role, 'ordinary').length === 0 ? 'disposable' : 'ordinary'
}

/**
 * The scheduler's pools of a target: one per API, role, placement and class of account (`<api>:<role>`,
 * `<api>:<role>@other-mailbox`, `<api>:<role>:disposable`); lists whose accounts overlap are one pool (named after all
 * of them), so that a check through one API and a check through the other never hold the same user at once.
 */
export interface Pools {
  /**
   * The pools a user of this role (and placement) is drawn from, in the order the check takes them (risky: it could
   * change what cannot be put back); undefined where users are provisioned.
   */
  of(api: string, role: string, risky?: boolean, placement?: string): string[] | undefined
  /** How many accounts a pool has (for merged lists, the smallest: the checks held back are never wrong). */
  capacity(pool: string): number
}

const listName = (api: string, role: string, placement: string | undefined, cls: AccountClass) =>
  `${api}:${role}${placement ? `@${placement}` : ''}${cls === 'disposable' ? ':disposable' : ''}`

export function fixturePools(target: ResolvedTarget): Pools {
  const lists = new Map<string, string[]>()
  for (const [api, t] of Object.entries(target.apis)) {
    if (t.provisioning) continue
    for (const [role, accounts] of Object.entries(t.fixtures)) {
      for (const a of accounts) {
        const list = listName(api, role, placementOf(a), isDisposable(t, a) ? 'disposable' : 'ordinary')
        lists.set(list, [...(lists.get(list) ?? []), accountKey(a)])
      }
    }
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
      else if (root(list) !== root(other)) parent.set(root(list), root(other))
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
    of: (api, role, risky = false, placement) => {
      const t = target.apis[api]
      if (!t || t.provisioning) return undefined
      const pools = accountClasses(risky).flatMap((cls) => name.get(listName(api, role, placement, cls)) ?? [])
      // A role the target lists no account for: a pool without capacity, the check fails on its own (NO_FIXTURE).
      return pools.length ? pools : [listName(api, role, placement, accountClasses(risky)[0]!)]
    },
    capacity: (pool) => capacity.get(pool) ?? 0,
  }
}

/** Whether a check takes fixture accounts at all, and of which class: none when skipped before taking any. */
export function fixtureUse(c: Check, target: ResolvedTarget): { risky: boolean } | undefined {
  const t = target.apis[c.api.api]
  if (!t || t.provisioning || (c.writes && !target.allowWrites)) return undefined
  const users = Object.values(c.spec.users)
  // Starting values other than a placement only a provisioning target can give; a placement the config must provide.
  if (users.some((u) => placementAsked(u.with) === false) || missingPlacement(t, users)) return undefined
  const risky = unrestorable(c, updateableOn(target, c.api)).length > 0
  // A risky check without enough disposable accounts is skipped (not verified) before it takes any.
  if (
    risky &&
    !hasDisposable(
      t,
      Object.values(c.spec.users).map((u) => u.role),
    )
  )
    return undefined
  return { risky }
}

/** Whether the target marks enough accounts of each role disposable for a check with these users' roles. */
export function hasDisposable(t: ResolvedApiTarget, roles: readonly string[]): boolean {
  return roles.every((role) => accountsOf(t, role, 'disposable').length >= roles.filter((r) => r === role).length)
}

/**
 * The fixture accounts a check will hold: so many from these pools. Empty when it holds none: the target provisions
 * fresh users, or the check is skipped before taking any (writes not allowed, starting values needed, not verifiable).
 */
export function accountsNeeded(c: Check, target: ResolvedTarget, pools: Pools = fixturePools(target)): Need[] {
  const needs = new Map<string, Need>()
  const use = fixtureUse(c, target)
  if (!use) return []
  for (const u of Object.values(c.spec.users)) {
    const from = pools.of(c.api.api, u.role, use.risky, placementAsked(u.with) || undefined)
    if (from === undefined) continue
    const key = from.join(' ')
    needs.set(key, { pools: from, n: (needs.get(key)?.n ?? 0) + 1 })
  }
  return [...needs.values()]
}

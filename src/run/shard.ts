import { ConformError, SpecErrors } from '../errors.ts'
import { planChecks, type Check, type PlanFilters } from '../engine/plan.ts'
import { accountKey, accountsOf, classFor, fixtureUse, readerAccount, withDisposable, type AccountClass } from '../engine/accounts.ts'
import type { ResolvedTarget } from '../engine/target.ts'
import type { Project } from '../project.ts'
import type { ApiDescription } from '../spec/model.ts'

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
export function planRun(project: Project, target: ResolvedTarget, filters: PlanFilters & { shard?: Shard }): Check[] {
  return shardCases(planChecks(project, target, filters), filters.shard)
}

/**
 * The fixture accounts of one shard. Shards run at the same time against one target without knowing of each other,
 * so no two may lend a check the same user: each role's accounts are split, account k of a role going to shard
 * (k mod n) + 1. The reader (the first account of the API's read-back role) reads and restores for every shard and is
 * lent to none: k counts that role's accounts after it. An account two APIs list (one backend) goes where the API
 * first by name sends it, for both. One shard (or none): the target as it is.
 */
export function shardTarget(target: ResolvedTarget, apis: ReadonlyMap<string, ApiDescription>, shard: Shard | undefined): ResolvedTarget {
  if (!shard || shard.count === 1) return target
  const readers = new Set<string>()
  for (const [name, t] of Object.entries(target.apis)) {
    const api = apis.get(name)
    const reader = api && !t.provisioning ? readerAccount(t, api) : undefined
    if (reader) readers.add(accountKey(reader))
  }
  const owner = new Map<string, number>()
  for (const name of Object.keys(target.apis).sort()) {
    for (const list of Object.values(target.apis[name]!.fixtures)) {
      list
        .filter((a) => !readers.has(accountKey(a)))
        .forEach((a, k) => {
          if (!owner.has(accountKey(a))) owner.set(accountKey(a), (k % shard.count) + 1)
        })
    }
  }
  const out: ResolvedTarget['apis'] = {}
  for (const [name, t] of Object.entries(target.apis)) {
    const api = apis.get(name)
    const reader = api && !t.provisioning ? readerAccount(t, api) : undefined
    const fixtures = Object.fromEntries(Object.entries(t.fixtures).map(([role, list]) => [role, list.filter((a) => owner.get(accountKey(a)) === shard.index)]))
    out[name] = { ...t, fixtures, ...(reader ? { reader } : {}) }
  }
  return { ...target, apis: out }
}

/**
 * The fixture accounts a run's checks draw from: the configured ones with their `disposable` marks, then this
 * shard's share of them. Used for the run (startTarget) and, before anything is sent, to check each shard has enough.
 */
export function runTarget(project: Project, resolved: ResolvedTarget, targetName: string, shard: Shard | undefined): ResolvedTarget {
  const config = project.config.targets[targetName]
  if (!config || config.reference) return resolved
  const flagged = Object.fromEntries(Object.entries(config.apis).map(([api, a]) => [api, a.disposable]))
  return shardTarget(withDisposable(resolved, flagged, project.apis), project.apis, shard)
}

/**
 * Before a sharded run sends anything: every role its checks need has enough accounts in this shard (as many as the
 * most one check holds at once), or exit 2 naming the API, the role and how many accounts to add. Risky checks need
 * disposable accounts only where the target marks some (elsewhere they are skipped as not verified, sharded or not).
 */
export function requireShardAccounts(project: Project, targetName: string, filters: PlanFilters & { shard?: Shard }): void {
  const shard = filters.shard
  const config = project.config.targets[targetName]
  if (!shard || shard.count === 1 || !config || config.reference) return
  const full = runTarget(
    project,
    {
      name: targetName,
      allowWrites: config.allowWrites,
      limits: config.limits,
      apis: Object.fromEntries(
        Object.entries(config.apis).map(([api, a]) => [
          api,
          { baseUrl: a.baseUrl, fixtures: a.fixtures, ...(a.bindings ? { bindings: a.bindings } : {}), ...(a.updateable ? { updateable: a.updateable } : {}) },
        ]),
      ),
    },
    targetName,
    undefined,
  )
  const mine = shardTarget(full, project.apis, shard)
  // Per API, role and class: the most accounts one of this shard's checks holds at once.
  const needs = new Map<string, { api: string; role: string; cls: AccountClass; n: number }>()
  for (const c of planRun(project, mine, filters)) {
    const use = fixtureUse(c, full)
    if (!use) continue
    const t = full.apis[c.api.api]!
    const roles = Object.values(c.spec.users).map((u) => u.role)
    for (const role of new Set(roles)) {
      const cls = classFor(t, role, use.risky)
      const key = JSON.stringify([c.api.api, role, cls])
      const n = roles.filter((r) => r === role).length
      if ((needs.get(key)?.n ?? 0) < n) needs.set(key, { api: c.api.api, role, cls, n })
    }
  }
  const errors: ConformError[] = []
  for (const { api, role, cls, n } of needs.values()) {
    const have = accountsOf(mine.apis[api]!, role, cls).length
    if (have >= n) continue
    const kind = cls === 'disposable' ? `disposable ${role}` : role
    const listed = accountsOf(full.apis[api]!, role, cls)
    const description = project.apis.get(api)!
    const reader = readerAccount(full.apis[api]!, description)
    const isReader = reader !== undefined && listed.some((a) => accountKey(a) === accountKey(reader))
    const inAll = n * shard.count + (isReader ? 1 : 0)
    const message =
      `shard ${shard.index}/${shard.count} gets ${have} ${kind} account(s) of ${api}, and its checks need ${n} at once: ` +
      `add ${inAll - listed.length} ${kind} account(s) to ${api} (${inAll} in all${isReader ? ', the first of which is the reader, shared by every shard and lent to none' : ''}; ` +
      `shards never share an account: account k of a role goes to shard (k mod ${shard.count}) + 1)`
    const at = ['targets', targetName, 'apis', api, 'fixtures', ...(config.apis[api]?.fixtures[role] ? [role] : [])]
    errors.push(
      project.config.source ? project.config.source.error('SHARD_ACCOUNTS', message, at, { key: true }) : new ConformError('SHARD_ACCOUNTS', 'spec', message),
    )
  }
  if (errors.length) throw new SpecErrors(errors)
}

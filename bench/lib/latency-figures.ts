/**
 * What a user of a network-bound target feels, from one run's HAR and conformance.json: requests per executed check
 * by purpose, and how close the run came to the shortest schedule its requests allow when each costs one round trip.
 * Pure.
 */
import type { Har } from '../../src/report/har.ts'

/** A check as conformance.json lists it (what the figures need of it). */
export interface ReportedCheckLite {
  id: string
  status: string
}

/** Accounts one check holds, as the scheduler counts them: so many from these pools (with their sizes). */
export interface HeldAccounts {
  pools: readonly string[]
  n: number
}

export interface LatencyFigures {
  checks: number
  executedChecks: number
  requests: number
  /** Requests per executed check, overall and by purpose (the HAR's `_purpose`; `unknown` where a request has none). */
  perCheck: number
  byPurpose: Array<{ purpose: string; requests: number; perCheck: number; share: number }>
  /** First request → last answer, ms. */
  spanMs: number
  /** Request durations added up, ms. */
  busyMs: number
  /** busyMs ÷ (concurrency × spanMs). */
  busyShare: number
  /** Every request costing exactly one round trip, spread over every slot: requests × rtt ÷ concurrency. */
  idealMs: number
  /** The longest chain the schedule cannot shorten, in round trips × rtt, and what it is. */
  criticalPath: { ms: number; what: string }
  /** max(idealMs, criticalPath.ms) ÷ spanMs. */
  efficiency: number
}

/**
 * `rttMs`: the round trip the network adds to every request (2 × the delay each way). `held` (optional): the accounts
 * each check held and each pool's size, for the chains of checks that must take turns on a pool's accounts.
 */
export function latencyFigures(
  har: Har,
  checks: readonly ReportedCheckLite[],
  concurrency: number,
  rttMs: number,
  held?: { needs: ReadonlyMap<string, readonly HeldAccounts[]>; capacity: (pool: string) => number },
): LatencyFigures {
  const entries = har.log.entries.filter((e) => e.comment === undefined)
  const executed = checks.filter((c) => c.status !== 'skipped')
  const executedIds = new Set(executed.map((c) => c.id))
  const ofExecuted = entries.filter((e) => executedIds.has(e.pageref))
  const byPurpose = new Map<string, number>()
  for (const e of ofExecuted) {
    const p = e._purpose ?? 'unknown'
    byPurpose.set(p, (byPurpose.get(p) ?? 0) + 1)
  }
  const starts = entries.map((e) => Date.parse(e.startedDateTime))
  const ends = entries.map((e, i) => starts[i]! + e.time)
  const spanMs = entries.length ? Math.max(...ends) - Math.min(...starts) : 0
  const busyMs = entries.reduce((n, e) => n + e.time, 0)
  const perCheckRequests = new Map<string, number>()
  for (const e of entries) perCheckRequests.set(e.pageref, (perCheckRequests.get(e.pageref) ?? 0) + 1)
  let criticalPath = { ms: 0, what: 'nothing sent' }
  for (const [id, n] of perCheckRequests) {
    if (n * rttMs > criticalPath.ms) criticalPath = { ms: n * rttMs, what: `${id}: ${n} request${n === 1 ? '' : 's'} one after another` }
  }
  if (held) {
    // A pool's accounts serve its checks one check at a time each: the round trips of the checks holding them, spread
    // over the pool's accounts, cannot take less.
    const load = new Map<string, { ms: number; capacity: number; checks: number }>()
    for (const [id, needs] of held.needs) {
      const n = perCheckRequests.get(id) ?? 0
      for (const need of needs) {
        const key = need.pools.join(' + ')
        const capacity = need.pools.reduce((a, p) => a + held.capacity(p), 0)
        const l = load.get(key) ?? { ms: 0, capacity, checks: 0 }
        l.ms += n * rttMs * need.n
        l.checks++
        load.set(key, l)
      }
    }
    for (const [pool, l] of load) {
      const ms = l.capacity > 0 ? l.ms / l.capacity : 0
      if (ms > criticalPath.ms) criticalPath = { ms, what: `${l.checks} checks taking turns on ${pool} (${l.capacity} account${l.capacity === 1 ? '' : 's'})` }
    }
  }
  const idealMs = (entries.length * rttMs) / concurrency
  const perCheck = (n: number) => (executed.length ? n / executed.length : 0)
  return {
    checks: checks.length,
    executedChecks: executed.length,
    requests: entries.length,
    perCheck: perCheck(ofExecuted.length),
    byPurpose: [...byPurpose]
      .map(([purpose, requests]) => ({ purpose, requests, perCheck: perCheck(requests), share: ofExecuted.length ? requests / ofExecuted.length : 0 }))
      .sort((a, b) => b.requests - a.requests || a.purpose.localeCompare(b.purpose)),
    spanMs,
    busyMs,
    busyShare: spanMs > 0 ? busyMs / (concurrency * spanMs) : 0,
    idealMs,
    criticalPath,
    efficiency: spanMs > 0 ? Math.max(idealMs, criticalPath.ms) / spanMs : 0,
  }
}

/** Printable lines for one run's figures. */
export function latencyLines(f: LatencyFigures, concurrency: number, delayMs: number): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(0)} %`
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  const bound = Math.max(f.idealMs, f.criticalPath.ms)
  return [
    `  ${f.executedChecks} of ${f.checks} checks executed, ${f.requests} requests: ${f.perCheck.toFixed(2)} per executed check`,
    ...f.byPurpose.map((p) => `    ${p.purpose.padEnd(16)} ${String(p.requests).padStart(5)}  ${p.perCheck.toFixed(2)} per check  ${pct(p.share).padStart(5)}`),
    `  first request → last answer ${s(f.spanMs)}; request slots busy ${pct(f.busyShare)}`,
    `  ideal ${s(f.idealMs)} (${f.requests} × ${2 * delayMs} ms ÷ ${concurrency}); critical path ${s(f.criticalPath.ms)} (${f.criticalPath.what})`,
    `  efficiency ${pct(f.efficiency)} (max(ideal, critical path) ${s(bound)} ÷ ${s(f.spanMs)})`,
  ]
}

/**
 * How busy a run kept the target: from the checks' recorded exchanges (each with its start and duration) and the
 * target's `limits.concurrency`. Request slots are busy while a request is in flight; a run that keeps the target
 * busy has `concurrency` requests in flight from its first request to its last answer. Pure.
 */

export interface LoadFigures {
  concurrency: number
  /** Requests to the target (the control endpoint's aside). */
  requests: number
  /** First request sent → last answer received, ms. */
  spanMs: number
  /** Every request's duration added up: request slots busy, ms. */
  busyMs: number
  /** busyMs ÷ (concurrency × spanMs): the share of the run's request slots that held a request. */
  efficiency: number
  /** The most requests in flight at once. */
  peakInFlight: number
  /** The check whose requests kept it longest (one after another, overlaps counted once), and that time, ms. */
  longestCheck: { id: string; ms: number }
  /**
   * The shortest the run could have been with its requests taking as long as they did: every slot busy
   * (busyMs ÷ concurrency), or the longest check if that is longer. ms.
   */
  idealMs: number
  /** idealMs ÷ spanMs. */
  idealShare: number
}

interface Timed {
  startedAt: string
  durationMs: number
}

/** The checks' exchanges (with the check's id), as `CheckResult` holds them. */
export interface LoadInput {
  id: string
  exchanges: readonly Timed[]
}

/** Time covered by at least one of these intervals. */
function covered(intervals: Array<[number, number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0])
  let total = 0
  let end = -Infinity
  for (const [from, to] of sorted) {
    if (to <= end) continue
    total += to - Math.max(from, end)
    end = to
  }
  return total
}

/** undefined when the checks made no request (nothing to measure) or the concurrency is not a positive number. */
export function loadFigures(checks: readonly LoadInput[], concurrency: number): LoadFigures | undefined {
  if (!(concurrency >= 1)) return undefined
  const all: Array<[number, number]> = []
  let longestCheck = { id: '', ms: 0 }
  // Tracked here, not spread into Math.min/max: a long --repeat run has more exchanges than a call takes arguments.
  let first = Number.POSITIVE_INFINITY
  let last = Number.NEGATIVE_INFINITY
  for (const c of checks) {
    const own: Array<[number, number]> = c.exchanges.map((x) => {
      const from = Date.parse(x.startedAt)
      return [from, from + Math.max(0, x.durationMs)]
    })
    for (const interval of own) {
      all.push(interval)
      first = Math.min(first, interval[0])
      last = Math.max(last, interval[1])
    }
    const ms = covered(own)
    if (ms > longestCheck.ms) longestCheck = { id: c.id, ms }
  }
  if (all.length === 0) return undefined
  const spanMs = last - first
  const busyMs = all.reduce((n, [from, to]) => n + (to - from), 0)
  // Starts are recorded to the millisecond (an ISO time): only a request that started a whole millisecond before
  // another's answer surely overlapped it. Answers before starts at the same instant.
  const edges = all
    .flatMap(
      ([from, to]) =>
        [
          [from, 1],
          [Math.max(from, to - 1), -1],
        ] as Array<[number, number]>,
    )
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
  let inFlight = 0
  let peakInFlight = 0
  for (const [, d] of edges) {
    inFlight += d
    peakInFlight = Math.max(peakInFlight, inFlight)
  }
  const idealMs = Math.max(busyMs / concurrency, longestCheck.ms)
  return {
    concurrency,
    requests: all.length,
    spanMs: round(spanMs),
    busyMs: round(busyMs),
    efficiency: spanMs > 0 ? round3(busyMs / (concurrency * spanMs)) : 1,
    peakInFlight,
    longestCheck: { id: longestCheck.id, ms: round(longestCheck.ms) },
    idealMs: round(idealMs),
    idealShare: spanMs > 0 ? round3(idealMs / spanMs) : 1,
  }
}

const round = (x: number) => Math.round(x)
const round3 = (x: number) => Math.round(x * 1000) / 1000

/** One line for the console: how busy the run kept the target. */
export function loadLine(load: LoadFigures): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`
  const pct = (x: number) => `${Math.round(x * 100)} %`
  return (
    `load: ${load.requests} requests in ${s(load.spanMs)}, at most ${load.peakInFlight} in flight (concurrency ${load.concurrency}); request slots busy ${pct(load.efficiency)} of the time; ` +
    `it ran at ${pct(load.idealShare)} of the best pace (${s(load.idealMs)}, ${load.idealMs === load.longestCheck.ms ? `its longest check: ${load.longestCheck.id}` : 'every slot busy'})`
  )
}

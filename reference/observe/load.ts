/**
 * How the reference is loaded, as it sees it: requests in flight at once (overall and per target user) and when
 * each request arrived. The API code names the user a request acts on with `touchUser`; the HTTP server brackets
 * each API request with `begin`/`end`. Read and reset through the control endpoint (`/__reference/stats`).
 * Memory is bounded: per-user figures for the most recent users, arrival times in a ring.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

export interface RequestMark {
  /** Epoch milliseconds, sub-millisecond precision. */
  readonly arrival: number
  end?: number
  admitted: boolean
}

export interface UserLoad {
  requests: number
  /** The most requests on this user that were in flight at once. */
  maxInFlight: number
}

export interface LoadStats {
  /** API requests (the control endpoint is not counted). */
  requests: number
  /** The most API requests in flight at once. */
  maxInFlight: number
  /** The most requests in flight at once on any one user. */
  maxInFlightPerUser: number
  /** Per user (`<api>:<user>`), for the most recent users. */
  users: Record<string, UserLoad>
  /** Arrival times (epoch ms) of the most recent requests, oldest first. */
  arrivals: number[]
}

const scope = new AsyncLocalStorage<{ meter: LoadMeter; mark: RequestMark }>()

/** Names the user the request being handled acts on (no-op outside a metered request). */
export function touchUser(api: string, user: string | number): void {
  const s = scope.getStore()
  if (s) s.meter.touch(s.mark, `${api}:${user}`)
}

const now = (): number => performance.timeOrigin + performance.now()

export class LoadMeter {
  private readonly maxUsers: number
  private readonly ring: Float64Array
  private ringNext = 0
  private ringSize = 0
  private requests = 0
  private inFlight = 0
  private maxInFlight = 0
  private maxPerUser = 0
  /** Per user: figures, and the marks of their latest requests (to see overlaps). */
  private users = new Map<string, UserLoad & { recent: RequestMark[] }>()

  constructor(opts: { maxUsers?: number; maxArrivals?: number } = {}) {
    this.maxUsers = opts.maxUsers ?? 2000
    this.ring = new Float64Array(opts.maxArrivals ?? 100_000)
  }

  /** A request arrived (its headers did); only API requests are counted, from now until `end`. */
  begin(api: boolean): RequestMark {
    const mark: RequestMark = { arrival: now(), admitted: api }
    if (!api) return mark
    this.requests++
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    this.ring[this.ringNext] = mark.arrival
    this.ringNext = (this.ringNext + 1) % this.ring.length
    this.ringSize = Math.min(this.ringSize + 1, this.ring.length)
    return mark
  }

  /** Handles an API request with `touchUser` attributing to it. */
  within<T>(mark: RequestMark, handle: () => T): T {
    return mark.admitted ? scope.run({ meter: this, mark }, handle) : handle()
  }

  end(mark: RequestMark): void {
    if (mark.end !== undefined) return
    mark.end = now()
    if (mark.admitted) this.inFlight--
  }

  touch(mark: RequestMark, user: string): void {
    let u = this.users.get(user)
    if (!u) {
      if (this.users.size >= this.maxUsers) this.users.delete(this.users.keys().next().value!)
      u = { requests: 0, maxInFlight: 0, recent: [] }
      this.users.set(user, u)
    }
    if (u.recent.includes(mark)) return
    u.requests++
    // Requests on this user whose time overlaps this one's: still open, or ended after this one arrived.
    const overlapping = u.recent.filter((m) => m.end === undefined || m.end > mark.arrival).length + 1
    u.maxInFlight = Math.max(u.maxInFlight, overlapping)
    this.maxPerUser = Math.max(this.maxPerUser, overlapping)
    u.recent.push(mark)
    if (u.recent.length > 8) u.recent.shift()
  }

  stats(): LoadStats {
    const arrivals: number[] = []
    const start = (this.ringNext - this.ringSize + this.ring.length) % this.ring.length
    for (let i = 0; i < this.ringSize; i++) arrivals.push(this.ring[(start + i) % this.ring.length]!)
    return {
      requests: this.requests,
      maxInFlight: this.maxInFlight,
      maxInFlightPerUser: this.maxPerUser,
      users: Object.fromEntries([...this.users].map(([k, { requests, maxInFlight }]) => [k, { requests, maxInFlight }])),
      arrivals,
    }
  }

  /** Forgets everything counted so far (requests in flight keep counting as in flight). */
  reset(): void {
    this.requests = 0
    this.maxInFlight = this.inFlight
    this.maxPerUser = 0
    this.users = new Map()
    this.ringNext = 0
    this.ringSize = 0
  }
}

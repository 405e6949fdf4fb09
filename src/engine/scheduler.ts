/**
 * Runs checks concurrently under the target's limit. A check names the fixture accounts it needs: so many accounts
 * from these pools, the first pools first (an ordinary check takes ordinary accounts, then disposable ones); it
 * starts only when that many are free, so two checks never share an account and a check waiting for one never holds
 * a concurrency slot that another check could use.
 *
 * Which check next, among those whose accounts are free: checks of groups asked for (a group is an API) before the
 * others, which start only while `mayRunAhead` allows. Then checks of a chain before the rest, the longest chain first:
 * a pool whose checks' lengths (`Job.weight`: requests one after another), summed per account, come to more than the
 * run's remaining work at its concurrency (one placed account with two long checks, a role with few accounts), so
 * that the chain runs beside everything else instead of alone at the end. Then the longest check first (what is left
 * at the end is short), then in the order added. The choice is among the jobs queued: a job added alone starts at once
 * while a slot is free, so jobs known together are added together (`addAll`).
 */

/** `n` accounts, taken from `pools` in order (the first as far as it has free accounts, then the next). */
export interface Need {
  pools: readonly string[]
  n: number
}

export interface Job {
  group: string
  /** Accounts needed; a pool without a capacity (provisioned users) never waits. */
  needs: readonly Need[]
  /** How long the job takes, in requests one after another (src/engine/check-length.ts); default 1. */
  weight?: number
  run(): Promise<void>
}

export interface SchedulerOptions {
  concurrency: number
  /** How many accounts a pool has; undefined: unlimited (every check gets fresh users). */
  capacity(pool: string): number | undefined
  /** Whether checks of groups nobody asked for yet may start (bounded look-ahead). Default: always. */
  mayRunAhead?(): boolean
}

interface Queued {
  job: Job
  seq: number
}

/** Jobs of one group with the same needs and weight, in the order added: only the first of each can be the next to start. */
interface Bucket {
  needs: readonly Need[]
  weight: number
  /** Each need's key (its pools), for the demand counts. */
  keys: string[]
  jobs: Queued[]
}

const weightOf = (job: Job) => Math.max(0, job.weight ?? 1)

const needKey = (need: Need) => need.pools.join('\n')

export class Scheduler {
  private readonly opts: SchedulerOptions
  private readonly groups = new Map<string, Map<string, Bucket>>()
  private readonly order: string[] = []
  private readonly asked: string[] = []
  private readonly busy = new Map<string, number>()
  /** Work (accounts × weight) of running jobs, per pool. */
  private readonly busyWork = new Map<string, number>()
  /** Work (accounts × weight) asked for by queued jobs, per need (its pools). */
  private readonly demand = new Map<string, number>()
  private seq = 0
  private count = 0
  private running = 0
  /** Summed weights of the queued and of the running jobs. */
  private queuedWork = 0
  private runningWork = 0
  private cancelled = false
  private waiters: Array<() => void> = []

  constructor(opts: SchedulerOptions) {
    this.opts = { ...opts, concurrency: Math.max(1, opts.concurrency) }
  }

  add(job: Job): void {
    this.addAll([job])
  }

  /** Queues jobs, then starts what may start: among them, the order above, not the order given. */
  addAll(jobs: readonly Job[]): void {
    if (this.cancelled) return
    for (const job of jobs) this.enqueue(job)
    this.pump()
  }

  /** Someone waits for this group's checks: they go before every group not asked for. */
  ask(group: string): void {
    if (!this.asked.includes(group)) this.asked.push(group)
    this.pump()
  }

  /** Starts nothing more; checks already running finish. */
  cancel(): void {
    this.cancelled = true
    this.groups.clear()
    this.demand.clear()
    this.count = 0
    this.queuedWork = 0
    this.settle()
  }

  get active(): number {
    return this.running
  }

  get queued(): number {
    return this.count
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.running === 0 && this.queued === 0) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  /** Re-evaluates what may start (call when `mayRunAhead` may have changed). */
  pump(): void {
    while (!this.cancelled && this.running < this.opts.concurrency) {
      const next = this.next()
      if (!next) break
      this.start(next.bucket, next.taken)
    }
    this.settle()
  }

  private enqueue(job: Job): void {
    let buckets = this.groups.get(job.group)
    if (!buckets) {
      buckets = new Map()
      this.groups.set(job.group, buckets)
      this.order.push(job.group)
    }
    const weight = weightOf(job)
    const key = `${weight}\n\n${job.needs.map((n) => `${needKey(n)}\t${n.n}`).join('\n\n')}`
    let bucket = buckets.get(key)
    if (!bucket) {
      bucket = { needs: job.needs, weight, keys: job.needs.map(needKey), jobs: [] }
      buckets.set(key, bucket)
    }
    bucket.jobs.push({ job, seq: this.seq++ })
    this.count++
    this.queuedWork += weight
    job.needs.forEach((n) => {
      if (this.capped(n)) this.demand.set(needKey(n), (this.demand.get(needKey(n)) ?? 0) + n.n * weight)
    })
  }

  /** Whether a need's pools all have capacities (else it never waits). */
  private capped(need: Need): boolean {
    return need.pools.every((p) => this.opts.capacity(p) !== undefined)
  }

  /**
   * How long a job's longest chain is, in requests one after another (the work queued jobs ask of its pools and running
   * ones hold, per account), when that is more than the run has left at its concurrency: the pool, not the
   * concurrency, then decides when the run ends. Else 0.
   */
  private pressure(bucket: Bucket): number {
    const left = (this.queuedWork + this.runningWork) / this.opts.concurrency
    let most = 0
    bucket.needs.forEach((need, i) => {
      if (!this.capped(need)) return
      let cap = 0
      let held = 0
      for (const p of need.pools) {
        cap += this.opts.capacity(p)!
        held += this.busyWork.get(p) ?? 0
      }
      const chain = cap > 0 ? ((this.demand.get(bucket.keys[i]!) ?? 0) + held) / cap : 0
      if (chain > left) most = Math.max(most, chain)
    })
    return most
  }

  private next(): { bucket: Bucket; taken: Map<string, number> } | undefined {
    let best: { bucket: Bucket; taken: Map<string, number>; pressure: number; seq: number } | undefined
    const consider = (g: string) => {
      for (const bucket of this.groups.get(g)?.values() ?? []) {
        const first = bucket.jobs[0]
        if (!first) continue
        const taken = this.take(bucket.needs)
        if (!taken) continue
        const pressure = this.pressure(bucket)
        const better =
          !best ||
          pressure > best.pressure ||
          (pressure === best.pressure && (bucket.weight > best.bucket.weight || (bucket.weight === best.bucket.weight && first.seq < best.seq)))
        if (better) best = { bucket, taken, pressure, seq: first.seq }
      }
    }
    for (const g of this.asked) consider(g)
    if (best) return best
    if (!this.opts.mayRunAhead || this.opts.mayRunAhead()) {
      for (const g of this.order) if (!this.asked.includes(g)) consider(g)
    }
    return best
  }

  /**
   * The accounts a job would take per pool, or undefined when they are not free now. A need more than its pools
   * have in all can never be met: it takes nothing, and the check starts and fails on it at once.
   */
  private take(needs: readonly Need[]): Map<string, number> | undefined {
    const taken = new Map<string, number>()
    for (const need of needs) {
      if (!this.capped(need)) continue
      const caps = need.pools.map((p) => this.opts.capacity(p)!)
      if (need.n > caps.reduce((a, c) => a + c, 0)) continue
      let left = need.n
      need.pools.forEach((pool, i) => {
        const free = caps[i]! - (this.busy.get(pool) ?? 0) - (taken.get(pool) ?? 0)
        const k = Math.min(left, Math.max(0, free))
        if (k > 0) taken.set(pool, (taken.get(pool) ?? 0) + k)
        left -= k
      })
      if (left > 0) return undefined
    }
    return taken
  }

  private start(bucket: Bucket, taken: Map<string, number>): void {
    const { job } = bucket.jobs.shift()!
    const w = bucket.weight
    this.count--
    this.queuedWork -= w
    bucket.needs.forEach((n, i) => {
      if (this.capped(n)) this.demand.set(bucket.keys[i]!, (this.demand.get(bucket.keys[i]!) ?? 0) - n.n * w)
    })
    this.running++
    this.runningWork += w
    for (const [pool, n] of taken) {
      this.busy.set(pool, (this.busy.get(pool) ?? 0) + n)
      this.busyWork.set(pool, (this.busyWork.get(pool) ?? 0) + n * w)
    }
    const done = () => {
      this.running--
      this.runningWork -= w
      for (const [pool, n] of taken) {
        this.busy.set(pool, (this.busy.get(pool) ?? 0) - n)
        this.busyWork.set(pool, (this.busyWork.get(pool) ?? 0) - n * w)
      }
      this.pump()
    }
    job.run().then(done, done)
  }

  private settle(): void {
    if (this.running === 0 && this.queued === 0 && this.waiters.length) {
      const w = this.waiters
      this.waiters = []
      for (const f of w) f()
    }
  }
}

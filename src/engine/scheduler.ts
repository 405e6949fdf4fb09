/**
 * Runs checks concurrently under the target's limit. A check names the fixture accounts it needs as counts per
 * pool (`inforouter:member` → 2); it starts only when that many accounts of each pool are free, so two checks never
 * share an account and a check waiting for one never holds a concurrency slot that another check could use.
 * Checks are taken group by group (a group is an API): groups asked for first, then, while `mayRunAhead` allows,
 * the others in the order given.
 */

export interface Job {
  group: string
  /** Accounts needed per pool; a pool without a capacity (provisioned users) never waits. */
  needs: ReadonlyMap<string, number>
  run(): Promise<void>
}

export interface SchedulerOptions {
  concurrency: number
  /** How many accounts a pool has; undefined: unlimited (every check gets fresh users). */
  capacity(pool: string): number | undefined
  /** Whether checks of groups nobody asked for yet may start (bounded look-ahead). Default: always. */
  mayRunAhead?(): boolean
}

export class Scheduler {
  private readonly opts: SchedulerOptions
  private readonly queues = new Map<string, Job[]>()
  private readonly order: string[] = []
  private readonly asked: string[] = []
  private readonly busy = new Map<string, number>()
  private running = 0
  private cancelled = false
  private waiters: Array<() => void> = []

  constructor(opts: SchedulerOptions) {
    this.opts = { ...opts, concurrency: Math.max(1, opts.concurrency) }
  }

  add(job: Job): void {
    if (this.cancelled) return
    let q = this.queues.get(job.group)
    if (!q) {
      q = []
      this.queues.set(job.group, q)
      this.order.push(job.group)
    }
    q.push(job)
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
    for (const q of this.queues.values()) q.length = 0
    this.settle()
  }

  get active(): number {
    return this.running
  }

  get queued(): number {
    let n = 0
    for (const q of this.queues.values()) n += q.length
    return n
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.running === 0 && this.queued === 0) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  /** Re-evaluates what may start (call when `mayRunAhead` may have changed). */
  pump(): void {
    while (!this.cancelled && this.running < this.opts.concurrency) {
      const job = this.next()
      if (!job) break
      this.start(job)
    }
    this.settle()
  }

  private next(): Job | undefined {
    const groups = [...this.asked, ...this.order.filter((g) => !this.asked.includes(g))]
    for (const g of groups) {
      if (!this.asked.includes(g) && this.opts.mayRunAhead && !this.opts.mayRunAhead()) return undefined
      const q = this.queues.get(g)
      if (!q?.length) continue
      const i = q.findIndex((j) => this.fits(j))
      if (i >= 0) return q.splice(i, 1)[0]
    }
    return undefined
  }

  private fits(job: Job): boolean {
    for (const [pool, n] of job.needs) {
      const cap = this.opts.capacity(pool)
      // More than the pool has can never fit: let the check start and fail on it at once.
      if (cap === undefined || n > cap) continue
      if ((this.busy.get(pool) ?? 0) + n > cap) return false
    }
    return true
  }

  private start(job: Job): void {
    this.running++
    for (const [pool, n] of job.needs) this.busy.set(pool, (this.busy.get(pool) ?? 0) + n)
    const done = () => {
      this.running--
      for (const [pool, n] of job.needs) this.busy.set(pool, (this.busy.get(pool) ?? 0) - n)
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

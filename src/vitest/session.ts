/**
 * One run's engine inside the vitest worker, shared by the suite files (the conformance project runs them one after
 * another in one worker without isolation). Checks do not wait for vitest to reach their file: the scheduler runs
 * the whole run's checks back to back under the target's limits, and each vitest test only waits for its check's
 * verdict. So the target sees one continuous stream of requests, and file boundaries cost nothing.
 *
 * The scheduler decides which checks run (fixture accounts, limits.concurrency checks at once); the transport decides
 * how many requests are in flight and their pace. A check holding a scheduler slot waits for request slots, never the
 * reverse. Stopping the session (a signal, a cancelled vitest run) starts no more checks and stops those under way,
 * which restore their users first; `close()` waits for that.
 */
import { accountsNeeded, fixturePools, type Pools } from '../engine/accounts.ts'
import { Runner } from '../engine/environment.ts'
import type { Case } from '../engine/plan.ts'
import type { CheckResult } from '../engine/result.ts'
import { Repeated, repetition } from '../engine/repeat.ts'
import { Scheduler } from '../engine/scheduler.ts'
import type { ResolvedTarget } from '../engine/target.ts'
import { loadProject, type Project } from '../project.ts'
import type { RunOptions } from '../run/options.ts'
import { planRun } from '../run/shard.ts'
import { mark } from '../run/trace.ts'
import { checkControl, runCancelled, stopOnSignals } from './stopping.ts'

interface Pending {
  readonly repeated: Repeated
  readonly done: Promise<CheckResult | undefined>
  finish(r: CheckResult | undefined): void
  fail(e: unknown): void
  started: number
  finished: boolean
  claimed: boolean
}

/** Verdicts finished ahead of vitest that may wait unclaimed, per unit of concurrency (bounds memory). */
const LOOKAHEAD_PER_SLOT = 4

let projects: { key: string; project: Project } | undefined

function projectFor(options: RunOptions): Project {
  const key = JSON.stringify([options.configFile, options.specsDir])
  if (projects?.key !== key) projects = { key, project: loadProject({ ...(options.configFile ? { configFile: options.configFile } : {}), ...(options.specsDir ? { specsDir: options.specsDir } : {}) }) }
  return projects.project
}

export class RunSession {
  readonly project: Project
  readonly options: RunOptions
  private readonly target: ResolvedTarget
  private readonly runner: Runner
  private readonly scheduler: Scheduler
  private readonly pools: Pools
  private readonly byApi = new Map<string, Case[]>()
  private readonly pending = new Map<string, Pending>()
  private readonly enqueued = new Set<string>()
  private readonly released = new Set<string>()
  /** Options named the APIs of the run (the CLI does): run them all ahead; else only files that asked. */
  private readonly ahead: boolean
  private unclaimed = 0
  private closed: Promise<void> | undefined
  private stopReason: Error | undefined
  private readonly signals: { off(): void }

  constructor(options: RunOptions, target: ResolvedTarget) {
    mark('worker: session')
    this.options = options
    this.target = target
    this.project = projectFor(options)
    mark('worker: project loaded')
    this.runner = new Runner({ target, apis: this.project.apis, catalogue: this.project.catalogue, seed: options.seed, strict: options.strict, ...(options.journal ? { journal: options.journal } : {}) })
    this.signals = stopOnSignals((sig) => this.stop(new Error(`${sig} received`)))
    for (const c of planRun(this.project, target, options)) {
      const list = this.byApi.get(c.api.api) ?? []
      list.push(c)
      this.byApi.set(c.api.api, list)
    }
    this.ahead = options.apis !== undefined
    const lookahead = LOOKAHEAD_PER_SLOT * target.limits.concurrency
    this.pools = fixturePools(target)
    this.scheduler = new Scheduler({
      concurrency: target.limits.concurrency,
      capacity: (pool) => this.pools.capacity(pool),
      mayRunAhead: () => this.unclaimed < lookahead,
    })
    if (this.ahead) {
      for (const api of this.byApi.keys()) this.enqueue(api)
      void this.readers().then(() => mark('worker: readers ready'))
    }
    // vitest cancelled the run before the first suite file got here.
    const cancelled = runCancelled()
    if (cancelled) this.stop(cancelled)
  }

  /** The cases of one API in this run (after filters and sharding), sorted by id. */
  casesOf(api: string): Case[] {
    return this.byApi.get(api) ?? []
  }

  /** A suite file is about to run this API's checks: they go first. */
  ask(api: string): void {
    this.scheduler.ask(api)
    this.enqueue(api)
  }

  /** The verdict of one check (all its runs); undefined when the run was cancelled before it ran. */
  take(id: string): Promise<CheckResult | undefined> {
    const p = this.pending.get(id)
    if (!p) return Promise.reject(new Error(`no check ${id} in this run`))
    if (!p.claimed) {
      p.claimed = true
      if (p.finished) this.unclaimed--
      this.scheduler.pump()
    }
    // Stopped before it started: it never will (the scheduler takes no more checks).
    if (this.stopped && p.started === 0) p.finish(undefined)
    return p.done
  }

  /** Whether the run was stopped (then every suite file waits for `close()`). */
  get stopped(): boolean {
    return this.stopReason !== undefined
  }

  /**
   * Starts no more checks, and stops those under way: their requests are aborted, they restore their users and
   * report as stopped. Checks that never started are reported as interrupted.
   */
  stop(reason: Error): void {
    if (this.stopReason) return
    this.stopReason = reason
    this.scheduler.cancel()
    this.runner.stop(reason)
    for (const p of this.pending.values()) {
      if (p.finished) continue
      p.repeated.abandon(p.repeated.expected - p.started)
      if (p.started === 0 || p.repeated.complete) p.finish(p.repeated.result())
    }
  }

  /** A suite file is done; when every API of the run is (or the run was stopped), the engine closes. */
  async release(api: string): Promise<void> {
    this.released.add(api)
    const expected = this.ahead ? [...this.byApi.keys()] : [...this.enqueued]
    if (this.stopped || expected.every((a) => this.released.has(a))) await this.close()
  }

  /** Waits for the checks under way (restores included), then closes the engine. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      if (session?.instance === this) session = undefined
      await this.scheduler.idle()
      mark('worker: last check done')
      try {
        await this.runner.close()
      } finally {
        this.signals.off()
        const active = globalThis as Record<symbol, unknown>
        if (active[ACTIVE] === this) delete active[ACTIVE]
      }
    })()
    return this.closed
  }

  private enqueue(api: string): void {
    if (this.enqueued.has(api)) return
    this.enqueued.add(api)
    const repeat = Math.max(1, this.options.repeat ?? 1)
    const jobs: Array<() => void> = []
    for (const c of this.casesOf(api)) {
      const p = this.track(c.id, repeat)
      const needs = accountsNeeded(c, this.target, this.pools)
      for (let k = 1; k <= repeat; k++) {
        jobs.push(() => this.scheduler.add({
          group: api,
          needs,
          run: async () => {
            p.started++
            try {
              const { done, ...control } = checkControl(this.target.limits.timeoutMs, this.target.limits.checkTimeoutMs)
              try {
                p.repeated.add(k, await this.runner.run(repetition(c, k), control))
              } finally {
                done()
              }
              if (p.repeated.complete) p.finish(p.repeated.result())
            } catch (e) {
              p.fail(e)
            }
          },
        }))
      }
    }
    // Readers log in before any check starts, so that a login never overlaps a check on its account (two APIs may
    // list the same accounts). A reader that fails is retried by the checks, which then report why.
    void this.readers(api).then(() => { for (const j of jobs) j() })
  }

  /**
   * The readers' logins and the generated clients (Runner.prepare): every API's in a run the CLI named (a plain
   * vitest run: only the APIs it runs).
   */
  private readers(api?: string): Promise<unknown> {
    const apis = this.ahead || api === undefined ? [...this.byApi.keys()] : [api]
    return Promise.allSettled(apis.map((a) => this.runner.prepare(a, this.casesOf(a))))
  }

  private track(id: string, runs: number): Pending {
    let finish!: (r: CheckResult | undefined) => void
    let fail!: (e: unknown) => void
    const done = new Promise<CheckResult | undefined>((res, rej) => { finish = res; fail = rej })
    const p: Pending = {
      repeated: new Repeated(runs),
      done,
      started: 0,
      finished: false,
      claimed: false,
      finish: (r) => {
        if (p.finished) return
        p.finished = true
        if (!p.claimed) this.unclaimed++
        finish(r)
      },
      fail: (e) => {
        if (p.finished) return
        p.finished = true
        if (!p.claimed) this.unclaimed++
        fail(e)
      },
    }
    // A rejection is seen by the check's test; until then it must not count as unhandled.
    done.catch(() => undefined)
    this.pending.set(id, p)
    return p
  }
}

let session: { key: string; instance: RunSession } | undefined

/** The session of the run vitest is executing (created by the first suite file that asks). */
export function runSession(options: RunOptions, target: ResolvedTarget): RunSession {
  const key = JSON.stringify([options, target])
  if (session?.key !== key) session = { key, instance: new RunSession(options, target) }
  ;(globalThis as Record<symbol, unknown>)[ACTIVE] = session.instance
  return session.instance
}

/** Shared with the test runner (suites/runner.ts), which vitest may load as a module of its own. */
const ACTIVE = Symbol.for('conform.session')

/** The session of this worker's run, if one was started. */
export function activeSession(): Pick<RunSession, 'stop' | 'stopped' | 'close'> | undefined {
  return (globalThis as Record<symbol, unknown>)[ACTIVE] as RunSession | undefined
}

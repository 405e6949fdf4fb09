/**
 * One run's engine inside the vitest worker, shared by the suite files (the conformance project runs them one after
 * another in one worker without isolation). Checks do not wait for vitest to reach their file: the scheduler runs
 * the whole run's checks back to back under the target's limits, and each vitest test only waits for its check's
 * verdict. So the target sees one continuous stream of requests, and file boundaries cost nothing.
 */
import { accountsNeeded, poolCapacity } from '../engine/accounts.ts'
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
  private readonly byApi = new Map<string, Case[]>()
  private readonly pending = new Map<string, Pending>()
  private readonly enqueued = new Set<string>()
  private readonly released = new Set<string>()
  /** Options named the APIs of the run (the CLI does): run them all ahead; else only files that asked. */
  private readonly ahead: boolean
  private unclaimed = 0
  private closed: Promise<void> | undefined

  constructor(options: RunOptions, target: ResolvedTarget) {
    mark('worker: session')
    this.options = options
    this.target = target
    this.project = projectFor(options)
    mark('worker: project loaded')
    this.runner = new Runner({ target, apis: this.project.apis, catalogue: this.project.catalogue, seed: options.seed, strict: options.strict })
    for (const c of planRun(this.project, target, options)) {
      const list = this.byApi.get(c.api.api) ?? []
      list.push(c)
      this.byApi.set(c.api.api, list)
    }
    this.ahead = options.apis !== undefined
    const lookahead = LOOKAHEAD_PER_SLOT * target.limits.concurrency
    this.scheduler = new Scheduler({
      concurrency: target.limits.concurrency,
      capacity: (pool) => poolCapacity(target, pool),
      mayRunAhead: () => this.unclaimed < lookahead,
    })
    if (this.ahead) {
      for (const api of this.byApi.keys()) this.enqueue(api)
      void Promise.allSettled([...this.byApi.keys()].map((a) => this.runner.reader(a))).then(() => mark('worker: readers ready'))
    }
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
    return p.done
  }

  /** Starts no more checks; those running finish (and restore their users). */
  cancel(): void {
    this.scheduler.cancel()
    for (const p of this.pending.values()) {
      if (p.finished) continue
      p.repeated.abandon(p.repeated.expected - p.started)
      if (p.started === 0 || p.repeated.complete) p.finish(p.repeated.result())
    }
  }

  /** A suite file is done; when every API of the run is, the engine closes. */
  async release(api: string): Promise<void> {
    this.released.add(api)
    const expected = this.ahead ? [...this.byApi.keys()] : [...this.enqueued]
    if (expected.every((a) => this.released.has(a))) await this.close()
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      if (session?.instance === this) session = undefined
      await this.scheduler.idle()
      mark('worker: last check done')
      await this.runner.close()
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
      const needs = accountsNeeded(c, this.target)
      for (let k = 1; k <= repeat; k++) {
        jobs.push(() => this.scheduler.add({
          group: api,
          needs,
          run: async () => {
            p.started++
            try {
              p.repeated.add(k, await this.runner.run(repetition(c, k)))
              if (p.repeated.complete) p.finish(p.repeated.result())
            } catch (e) {
              p.fail(e)
            }
          },
        }))
      }
    }
    // The API's reader logs in before any of its checks start, so that it never overlaps a check on its account.
    // (A reader that fails is retried by the checks, which then report why.)
    void this.runner.reader(api).then(() => undefined, () => undefined).then(() => { for (const j of jobs) j() })
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
  return session.instance
}

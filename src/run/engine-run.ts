/**
 * One run of checks against one target. The engine owns it: it plans the checks (filters, shard), prepares each API
 * (its reader's login, its generated clients) before that API's first check, schedules the checks under the target's
 * limits (`limits.concurrency` checks at once, each with the fixture accounts it needs, never two on one account),
 * stops them on request (each restores its users first), and hands each verdict to the run's reporters as soon as it
 * is known. `conform run`, the self-check and the vitest adapter all run checks through this one class.
 */
import type { TargetLink } from '../transport/link.ts'
import { accountsNeeded, fixturePools, fixtureUse, type Pools } from '../engine/accounts.ts'
import { checkLength } from '../engine/check-length.ts'
import { Runner } from '../engine/runner.ts'
import type { Check } from '../engine/plan.ts'
import type { CheckResult } from '../engine/result.ts'
import { Repeated, repetition } from '../engine/repeat.ts'
import { type Job, Scheduler } from '../engine/scheduler.ts'
import type { ResolvedTarget } from '../engine/target.ts'
import type { Project } from '../project.ts'
import { checkControl } from './check-control.ts'
import type { RunOptions } from './options.ts'
import type { KnownAccount } from './preflight-accounts.ts'
import type { RunReporter } from './reporter.ts'
import { planRun } from './shard.ts'
import { mark } from './trace.ts'

export interface CheckRunInit {
  project: Project
  target: ResolvedTarget
  options: RunOptions
  reporters?: readonly RunReporter[]
  /** Fixture accounts the preflight read back and logged in: the run starts from what it learned (Runner.knowAccount). */
  known?: readonly KnownAccount[]
  /** The request slots and connections the preflight used (transport/link.ts): the checks go on with them. */
  link?: TargetLink
}

/** What a run produced: the verdicts in plan order (checks stopped before they started have none) and suite errors. */
export interface RunOutcome {
  checks: CheckResult[]
  /** Failures of the suite itself, outside any verdict about the target (exit 70). */
  errors: string[]
}

interface Pending {
  readonly repeated: Repeated
  readonly done: Promise<CheckResult | undefined>
  settle(r: CheckResult | undefined): void
  started: number
  settled: boolean
}

export class CheckRun {
  readonly cases: readonly Check[]
  private readonly target: ResolvedTarget
  private readonly options: RunOptions
  private readonly reporters: readonly RunReporter[]
  private readonly runner: Runner
  private readonly scheduler: Scheduler
  private readonly pools: Pools
  private readonly byId = new Map<string, Check>()
  private readonly pending = new Map<string, Pending>()
  private readonly prepared = new Map<string, Promise<unknown>>()
  private readonly errors: string[] = []
  /** Jobs scheduled in this turn, handed to the scheduler together (see `schedule`). */
  private toAdd: Job[] = []
  private readonly failedReporters = new Set<RunReporter>()
  private stopReason: Error | undefined
  private closed: Promise<void> | undefined

  constructor(init: CheckRunInit) {
    this.target = init.target
    this.options = init.options
    this.reporters = init.reporters ?? []
    this.cases = planRun(init.project, init.target, init.options)
    for (const c of this.cases) this.byId.set(c.id, c)
    this.runner = new Runner({
      target: init.target,
      apis: init.project.apis,
      catalogue: init.project.catalogue,
      seed: init.options.seed,
      strict: init.options.strict,
      ...(init.options.journal ? { journal: init.options.journal } : {}),
      ...(init.link ? { link: init.link } : {}),
    })
    for (const k of init.known ?? []) this.runner.knowAccount(k.api, k.account, { state: k.state, ...(k.session ? { session: k.session } : {}) })
    this.pools = fixturePools(init.target)
    this.scheduler = new Scheduler({ concurrency: init.target.limits.concurrency, capacity: (pool) => this.pools.capacity(pool) })
    for (const r of this.reporters) {
      try {
        r.onPlan?.(this.cases)
      } catch (e) {
        this.failedReporters.add(r)
        this.errors.push(`a reporter failed on the run's plan: ${e instanceof Error ? e.message : String(e)}`)
      }
    }
  }

  /** Runs every planned check; resolves once each has its verdict or was stopped before it started. */
  async all(): Promise<RunOutcome> {
    for (const api of new Set(this.cases.map((c) => c.api.api))) void this.prepare(api)
    const done = this.cases.map((c) => this.verdict(c.id))
    await Promise.all(done)
    mark('last check done')
    return this.outcome()
  }

  /** One check's verdict, queueing it if it is not yet; undefined when the run was stopped before it started. */
  verdict(id: string): Promise<CheckResult | undefined> {
    const known = this.pending.get(id)
    if (known) return known.done
    const c = this.byId.get(id)
    if (!c) return Promise.reject(new Error(`no check ${id} in this run`))
    const p = this.track(c)
    if (this.stopReason) p.settle(undefined)
    else {
      void this.prepare(c.api.api)
        .then(() => this.schedule(c, p))
        .catch((e: unknown) => {
          this.errors.push(`${c.id}: the suite failed to schedule this check: ${e instanceof Error ? e.message : String(e)}`)
          p.settle(undefined)
        })
    }
    return p.done
  }

  /** The verdicts so far, in plan order, and the suite's own errors. */
  outcome(): RunOutcome {
    const checks: CheckResult[] = []
    for (const c of this.cases) {
      const r = this.pending.get(c.id)?.repeated.result()
      if (r) checks.push(r)
    }
    return { checks, errors: [...this.errors] }
  }

  get stopped(): boolean {
    return this.stopReason !== undefined
  }

  /**
   * Starts no more checks, and stops those under way: their requests are aborted, they restore their users and
   * report as stopped. Checks that never started have no verdict.
   */
  stop(reason: Error): void {
    if (this.stopReason) return
    this.stopReason = reason
    this.scheduler.cancel()
    this.runner.stop(reason)
    for (const p of this.pending.values()) {
      if (p.settled) continue
      p.repeated.abandon(p.repeated.expected - p.started)
      if (p.started === 0 || p.repeated.complete) p.settle(p.repeated.result())
    }
  }

  /** Waits for the checks under way (restores included), then logs every session out and closes the engine. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.scheduler.idle()
      await this.runner.close()
    })()
    return this.closed
  }

  /** The API's reader logs in (and its generated clients are built) before its first check; a failure is the checks' to report. */
  private prepare(api: string): Promise<unknown> {
    let p = this.prepared.get(api)
    if (!p) {
      p = this.runner
        .prepare(
          api,
          this.cases.filter((c) => c.api.api === api),
        )
        .catch(() => undefined)
      this.prepared.set(api, p)
    }
    return p
  }

  /**
   * Queues a check's runs. An API's checks are all scheduled in the turn its preparation ends: they reach the
   * scheduler together, at the end of that turn, so that it chooses among all of them (longest first), not the
   * first few added.
   */
  private schedule(c: Check, p: Pending): void {
    const needs = accountsNeeded(c, this.target, this.pools)
    const weight = checkLength(c, fixtureUse(c, this.target)?.risky)
    const runs = p.repeated.expected
    if (this.toAdd.length === 0) {
      queueMicrotask(() => {
        const jobs = this.toAdd
        this.toAdd = []
        this.scheduler.addAll(jobs)
      })
    }
    for (let k = 1; k <= runs; k++) {
      this.toAdd.push({
        group: c.api.api,
        needs,
        weight,
        run: async () => {
          if (this.stopReason) return
          p.started++
          let control: ReturnType<typeof checkControl> | undefined
          try {
            control = checkControl(this.target.limits.timeoutMs, this.target.limits.checkTimeoutMs)
            p.repeated.add(k, await this.runner.run(repetition(c, k), control))
          } catch (e) {
            this.errors.push(`${c.id}: the suite failed inside this check: ${e instanceof Error ? e.message : String(e)}`)
            p.repeated.abandon(1)
          } finally {
            control?.done()
          }
          if (p.repeated.complete) p.settle(p.repeated.result())
        },
      })
    }
  }

  /** Hands a verdict to every reporter; one that throws is the suite's failure, never a lost verdict or a hung run. */
  private report(r: CheckResult): void {
    for (const rep of this.reporters) {
      try {
        rep.onCheck?.(r)
      } catch (e) {
        if (this.failedReporters.has(rep)) continue
        this.failedReporters.add(rep)
        this.errors.push(`a reporter failed on ${r.id}: ${e instanceof Error ? e.message : String(e)}`)
      }
    }
  }

  private track(c: Check): Pending {
    let resolve!: (r: CheckResult | undefined) => void
    const done = new Promise<CheckResult | undefined>((res) => {
      resolve = res
    })
    const p: Pending = {
      repeated: new Repeated(Math.max(1, this.options.repeat ?? 1)),
      done,
      started: 0,
      settled: false,
      settle: (r) => {
        if (p.settled) return
        p.settled = true
        resolve(r)
        if (r) this.report(r)
      },
    }
    this.pending.set(c.id, p)
    return p
  }
}

/**
 * vitest as a way into the suite (`npx vitest --project conformance`, with -t, watch and the UI): a thin adapter over
 * the engine. Each suite file runs its API's checks through one CheckRun, which vitest neither schedules nor
 * cancels directly: a test queues its check and waits for its verdict; a cancelled run (Ctrl-C, a watch re-run) aborts
 * the tests' signals, which stops the run (its checks restore their users); the file's afterAll waits for that.
 */
import { afterAll, describe, inject, test } from 'vitest'
import type { CheckResult } from '../engine/result.ts'
import { loadProject } from '../project.ts'
import { allureContext, describeCheckToAllure } from '../report/allure.ts'
import { allureFailureMessage } from '../report/failure-message.ts'
import { CheckRun } from '../run/engine-run.ts'
import type { ProvidedRun } from './provided.ts'

declare module 'vitest' {
  interface TaskMeta {
    check?: CheckResult
  }
  interface ProvidedContext {
    /** Set by suites/global-setup.ts: the run's options and its resolved target. */
    conformRun: ProvidedRun
  }
}

/**
 * A failed check, as vitest sees it: an assertion about the target (so reporters such as allure-vitest show it as
 * Failed, not Broken), whose message is the verdict (already redacted) and whose stack is only that: a trace into
 * the suite's internals says nothing about the target.
 */
export class CheckAssertionError extends Error {
  constructor(result: CheckResult) {
    super(allureFailureMessage(result) || 'failed')
    this.name = 'CheckAssertionError'
    this.stack = `${this.name}: ${this.message}`
  }
}

/**
 * Registers one vitest test per check (spec × binding) of every API the project's specs describe (or
 * provide.conform.apis names), grouped by API, all run through one CheckRun under the target's limits.
 */
export function registerSuites(): void {
  const { options, target } = inject('conformRun')
  // Read now, not cached: a watch re-run sees the specs as they are on disk.
  const project = loadProject({
    ...(options.configFile ? { configFile: options.configFile } : {}),
    ...(options.specsDir ? { specsDir: options.specsDir } : {}),
  })
  const run = new CheckRun({ project, target, options })
  // Waits for the checks under way (a stopped run's checks are still restoring their users), then logs out.
  afterAll(() => run.close())
  for (const api of new Set(run.cases.map((c) => c.api.api))) {
    describe(api, () => {
      for (const c of run.cases.filter((x) => x.api.api === api)) {
        test.concurrent(c.id, async ({ task, skip, signal }) => {
          signal.addEventListener('abort', () => run.stop(signal.reason instanceof Error ? signal.reason : new Error('the run was cancelled')), { once: true })
          const result = await run.verdict(c.id)
          if (!result) return skip('the run was stopped before this check started')
          task.meta.check = result
          await describeCheckToAllure(result, allureContext(result, options, project))
          if (result.status === 'skipped') skip(result.message ?? 'skipped')
          if (result.status === 'failed') throw new CheckAssertionError(result)
        })
      }
    })
  }
}

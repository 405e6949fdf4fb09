import { afterAll, describe, inject, test } from 'vitest'
import type { CheckResult } from '../engine/result.ts'
import { allureFailureMessage } from '../report/failure-message.ts'
import { runSession } from './session.ts'

declare module 'vitest' {
  interface TaskMeta {
    check?: CheckResult
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

/** Registers one vitest test per check (spec × binding) of one API; the run's session executes them. */
export function registerSuite(apiName: string): void {
  const { options, target, allureByReporter } = inject('conformRun')
  if (options.apis && !options.apis.includes(apiName)) return
  const session = runSession(options, target)
  const cases = session.casesOf(apiName)
  if (cases.length === 0) {
    // vitest fails a file without tests; say plainly why there is nothing to run here.
    describe.skip(`${apiName}: no checks for this target and filter`, () => test('none', () => {}))
    return
  }
  session.ask(apiName)
  // When the run was stopped, the file waits here for the checks under way: they are still restoring their users.
  afterAll(() => session.release(apiName))
  describe(apiName, () => {
    for (const c of cases) {
      test.concurrent(c.id, async ({ task, skip, signal }) => {
        // vitest aborts a test's signal when the run is cancelled: stop the run's checks (they restore their users).
        signal.addEventListener('abort', () => session.stop(signal.reason instanceof Error ? signal.reason : new Error('the run was cancelled')), { once: true })
        const result = await session.take(c.id)
        if (!result) return skip('the run was interrupted before this check started')
        task.meta.check = result
        // allure-vitest's setup file would have set it (its thread label); with the reporter describing checks it is not loaded.
        if (allureByReporter) (task.meta as { vitestWorker?: string }).vitestWorker = process.env.VITEST_POOL_ID
        // Loaded only here: `conform run` describes checks in its reporter, and the worker need not load Allure at all.
        if (!allureByReporter) {
          const { allureContext, describeCheckToAllure } = await import('../report/allure.ts')
          await describeCheckToAllure(result, allureContext(result, options, session.project))
        }
        if (result.status === 'skipped') skip(result.message ?? 'skipped')
        if (result.status === 'failed') throw new CheckAssertionError(result)
      })
    }
  })
}

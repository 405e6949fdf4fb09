import { afterAll, describe, inject, test } from 'vitest'
import { Runner } from '../engine/environment.ts'
import { planCases } from '../engine/plan.ts'
import type { CheckResult } from '../engine/result.ts'
import { loadProject } from '../project.ts'
import { allureFailureMessage, describeCheckToAllure } from '../report/allure.ts'
import { TOOL } from '../tool.ts'

declare module 'vitest' {
  interface TaskMeta {
    check?: CheckResult
  }
}

/** A failed check, as vitest sees it: the message is the verdict (already redacted). */
export class CheckFailed extends Error {
  constructor(result: CheckResult) {
    super(allureFailureMessage(result) || 'failed')
    this.name = 'CheckFailed'
  }
}

/** Registers one vitest test per check (spec × binding) of one API. */
export function registerSuite(apiName: string): void {
  const { options, target } = inject('conformRun')
  if (options.apis && !options.apis.includes(apiName)) return
  const project = loadProject({ ...(options.configFile ? { configFile: options.configFile } : {}), ...(options.specsDir ? { specsDir: options.specsDir } : {}) })
  const cases = planCases(project, target, { ...options, apis: [apiName] })
  if (cases.length === 0) {
    // vitest fails a file without tests; say plainly why there is nothing to run here.
    describe.skip(`${apiName}: no checks for this target and filter`, () => test('none', () => {}))
    return
  }
  const runner = new Runner({ target, apis: project.apis, catalogue: project.catalogue, seed: options.seed, strict: options.strict, ...(options.journal ? { journal: options.journal } : {}) })
  stopOnSignals(runner)
  // Waits for checks whose test was cancelled or timed out: they are still restoring their users.
  afterAll(() => closeRunner(runner))
  describe(apiName, () => {
    for (const c of cases) {
      test.concurrent(c.id, async ({ task, skip, signal }) => {
        // Retries after 429/503 never wait past the point where the retried request could still finish in time.
        const deadlineAt = task.timeout > 0 ? Date.now() + task.timeout - target.limits.timeoutMs : undefined
        const result = await runner.run(c, { signal, ...(deadlineAt !== undefined ? { deadlineAt } : {}) })
        task.meta.check = result
        const docs = c.api.operations[c.spec.when.operation]?.docs
        await describeCheckToAllure(result, { target: options.target, seed: options.seed, version: TOOL.version, catalogue: project.catalogue, ...(docs ? { docs } : {}) })
        if (result.status === 'skipped') skip(result.message ?? 'skipped')
        if (result.status === 'failed') throw new CheckFailed(result)
      })
    }
  })
}

/** One set per process: vitest may evaluate this module once per suite file in the same worker. */
const RUNNERS = Symbol.for('conform.runners')
const runners: Set<Runner> = ((globalThis as Record<symbol, unknown>)[RUNNERS] as Set<Runner> | undefined) ?? new Set<Runner>()
;(globalThis as Record<symbol, unknown>)[RUNNERS] = runners

const stopAll = (signal: NodeJS.Signals) => {
  for (const r of runners) r.stop(new Error(`${signal} received`))
}

/**
 * In the worker, while its suites run: SIGINT and SIGTERM (a terminal's Ctrl-C and a `kill` of the process group
 * reach workers too) stop the checks under way, which then restore their users; the conform process cancels the
 * run. Without this, the signal would end the worker in the middle of a check. Once the worker's suites are done
 * the handlers go, so vitest can end the idle worker with SIGTERM as usual.
 */
function stopOnSignals(runner: Runner): void {
  if (runners.size === 0) {
    process.on('SIGINT', stopAll)
    process.on('SIGTERM', stopAll)
  }
  runners.add(runner)
}

async function closeRunner(runner: Runner): Promise<void> {
  try {
    await runner.close()
  } finally {
    runners.delete(runner)
    if (runners.size === 0) {
      process.off('SIGINT', stopAll)
      process.off('SIGTERM', stopAll)
    }
  }
}

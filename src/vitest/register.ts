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
  const runner = new Runner({ target, apis: project.apis, catalogue: project.catalogue, seed: options.seed, strict: options.strict })
  afterAll(() => runner.close())
  describe(apiName, () => {
    for (const c of cases) {
      test.concurrent(c.id, async ({ task, skip }) => {
        const result = await runner.run(c)
        task.meta.check = result
        const docs = c.api.operations[c.spec.when.operation]?.docs
        await describeCheckToAllure(result, { target: options.target, seed: options.seed, version: TOOL.version, catalogue: project.catalogue, ...(docs ? { docs } : {}) })
        if (result.status === 'skipped') skip(result.message ?? 'skipped')
        if (result.status === 'failed') throw new CheckFailed(result)
      })
    }
  })
}

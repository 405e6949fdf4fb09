import type { TestProject } from 'vitest/node'
import { loadProject } from '../src/project.ts'
import { startTarget, type StartedTarget } from '../src/run/resolve-target.ts'
import { planChecks } from '../src/engine/plan.ts'
import { checkProvided, type ConformProvide, nothingSelected, runOptionsOf } from '../src/vitest/provided.ts'

declare module 'vitest' {
  interface ProvidedContext {
    /** What the run is asked to do (docs/vitest.md); set in vitest.config.ts's `provide`. */
    conform: ConformProvide
  }
}

/**
 * Runs in vitest's main process: resolves the target asked for in `provide.conform` (starting the embedded reference
 * if it is the one) and hands it to the suite files. Each watch re-run starts on a fresh reference, with the config and
 * specs read again.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const provide = project.getProvidedContext().conform
  const variations = provide?.variations ?? []
  const start = async (): Promise<StartedTarget> => {
    const options = runOptionsOf(provide, project.config.root)
    const loaded = loadProject({
      ...(options.configFile ? { configFile: options.configFile } : {}),
      ...(options.specsDir ? { specsDir: options.specsDir } : {}),
    })
    checkProvided(loaded, options, variations)
    const started = await startTarget(loaded, options.target, options.deviations, { variations })
    if (planChecks(loaded, started.target, options).length === 0) {
      await started.stop()
      throw nothingSelected(options)
    }
    project.provide('conformRun', { options, target: started.target })
    return started
  }
  let started = await start()
  project.onTestsRerun(async () => {
    await started.stop()
    started = await start()
  })
  return () => started.stop()
}

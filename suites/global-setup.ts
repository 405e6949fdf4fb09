import type { TestProject } from 'vitest/node'
import { loadProject } from '../src/project.ts'
import { runOptionsFromEnv } from '../src/run/options.ts'
import { startTarget } from '../src/run/resolve-target.ts'
import type { ResolvedTarget } from '../src/engine/target.ts'
import type { RunOptions } from '../src/run/options.ts'

declare module 'vitest' {
  interface ProvidedContext {
    /** `allureByReporter`: the run's reporter describes each check to Allure (conform run), the tests need not. */
    conformRun: { options: RunOptions; target: ResolvedTarget; allureByReporter?: boolean }
  }
}

/**
 * Runs once in the main process: resolves the target (starting the embedded reference if asked) for every suite.
 * `conform run` has done that already (it provides `conformRun`), so this is for a plain `vitest run`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (project.getProvidedContext().conformRun) return async () => {}
  const options = runOptionsFromEnv()
  const loaded = loadProject({ ...(options.configFile ? { configFile: options.configFile } : {}), ...(options.specsDir ? { specsDir: options.specsDir } : {}) })
  const started = await startTarget(loaded, options.target, options.deviations)
  project.provide('conformRun', { options, target: started.target })
  return () => started.stop()
}

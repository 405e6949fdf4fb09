import { Runner } from '../../src/engine/environment.ts'
import { planCases, type PlanFilters } from '../../src/engine/plan.ts'
import type { CheckResult } from '../../src/engine/result.ts'
import { loadProject, type Project } from '../../src/project.ts'
import { startTarget } from '../../src/run/resolve-target.ts'

let cached: Project | undefined
export function project(): Project {
  cached ??= loadProject()
  return cached
}

/** Runs the real suite (every check, real HTTP) against the reference, optionally with deviations. */
export async function runAgainstReference(deviations: string[] = [], filters: PlanFilters = {}, seed = 42): Promise<CheckResult[]> {
  const p = project()
  const started = await startTarget(p, 'reference', deviations)
  const runner = new Runner({ target: started.target, apis: p.apis, catalogue: p.catalogue, seed })
  try {
    return await runner.runAll(planCases(p, started.target, filters))
  } finally {
    await runner.close()
    await started.stop()
  }
}

export const notPassed = (r: CheckResult) => r.status === 'failed' || r.status === 'warned'

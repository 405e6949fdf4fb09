import type { PlanFilters } from '../../src/engine/plan.ts'
import type { CheckResult } from '../../src/engine/result.ts'
import { loadProject, type Project } from '../../src/project.ts'
import { runAgainstReference as runReference } from '../../src/self-check/run.ts'

let cached: Project | undefined
export function project(): Project {
  cached ??= loadProject()
  return cached
}

/** Runs the real suite (every check, real HTTP) against the reference, optionally with deviations. */
export function runAgainstReference(deviations: string[] = [], filters: PlanFilters = {}, seed = 42): Promise<CheckResult[]> {
  return runReference(project(), deviations, filters, seed)
}

export { notPassed } from '../../src/self-check/evaluate.ts'

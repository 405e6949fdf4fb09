import { Runner } from '../engine/environment.ts'
import { planCases, type PlanFilters } from '../engine/plan.ts'
import type { CheckResult } from '../engine/result.ts'
import type { Project } from '../project.ts'
import { startTarget } from '../run/resolve-target.ts'
import { listDeviations } from '../../reference/index.ts'
import { judgeDeviation, summarise, type DeviationVerdict, type SelfCheckReport } from './evaluate.ts'

/** Runs the real suite (every check, real HTTP on loopback) against a fresh reference with the given deviations. */
export async function runAgainstReference(project: Project, deviations: string[] = [], filters: PlanFilters = {}, seed = 42): Promise<CheckResult[]> {
  const started = await startTarget(project, 'reference', deviations)
  const runner = new Runner({ target: started.target, apis: project.apis, catalogue: project.catalogue, seed })
  try {
    return await runner.runAll(planCases(project, started.target, filters))
  } finally {
    await runner.close()
    await started.stop()
  }
}

export async function evaluateDeviation(project: Project, name: string, seed = 42): Promise<DeviationVerdict> {
  const deviation = listDeviations().find((d) => d.name === name)
  if (!deviation) throw new Error(`unknown deviation ${name}`)
  return judgeDeviation(deviation, await runAgainstReference(project, [name], {}, seed))
}

/** The plain reference, then every deviation (each on its own reference), `parallel` at a time. */
export async function runSelfCheck(project: Project, opts: { seed?: number; parallel?: number; only?: string[]; onVerdict?: (v: DeviationVerdict, done: number, total: number) => void } = {}): Promise<SelfCheckReport> {
  const seed = opts.seed ?? 42
  const started = performance.now()
  const plain = await runAgainstReference(project, [], {}, seed)
  const names = listDeviations().map((d) => d.name).filter((n) => !opts.only || opts.only.includes(n))
  const verdicts: DeviationVerdict[] = new Array(names.length)
  let next = 0
  let done = 0
  const worker = async () => {
    while (next < names.length) {
      const i = next++
      verdicts[i] = await evaluateDeviation(project, names[i]!, seed)
      opts.onVerdict?.(verdicts[i]!, ++done, names.length)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.parallel ?? 4, names.length)) }, worker))
  return summarise(seed, Math.round(performance.now() - started), plain, verdicts)
}

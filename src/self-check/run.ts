import { planChecks, planningTarget, type PlanFilters } from '../engine/plan.ts'
import type { CheckResult } from '../engine/result.ts'
import type { Project } from '../project.ts'
import { inParallel } from '../in-parallel.ts'
import { CheckRun } from '../run/engine-run.ts'
import { defaultRunOptions } from '../run/options.ts'
import type { RunReporter } from '../run/reporter.ts'
import { startTarget } from '../run/resolve-target.ts'
import { listDeviations, listVariations } from '../../reference/index.ts'
import { checkReferenceNames } from '../cli/reference-names.ts'
import { judgeDeviation, judgeVariation, summarise, type DeviationVerdict, type SelfCheckReport, type VariationVerdict } from './evaluate.ts'

/**
 * Runs the real suite against a fresh reference with the given deviations and variations, exactly as `conform run`
 * does (the same CheckRun, the same reporter events; real HTTP on loopback).
 */
export async function runAgainstReference(
  project: Project,
  deviations: string[] = [],
  filters: PlanFilters = {},
  seed = 42,
  variations: string[] = [],
  reporters: readonly RunReporter[] = [],
): Promise<CheckResult[]> {
  const started = await startTarget(project, 'reference', deviations, { variations })
  try {
    const run = new CheckRun({ project, target: started.target, options: { ...defaultRunOptions(), ...filters, seed, deviations }, reporters })
    try {
      const outcome = await run.all()
      if (outcome.errors.length) throw new Error(`the suite failed: ${outcome.errors.join('; ')}`)
      return outcome.checks
    } finally {
      await run.close()
    }
  } finally {
    await started.stop()
  }
}

/**
 * The APIs whose checks a deviation of API can change: its own, and those whose cross-API checks go through it (or
 * through which its own go). A deviation wraps one API's module of the reference; every other API's checks run
 * against modules it does not touch, exactly as in the plain run (which the self-check runs in full).
 */
/** Every API of the project offering every binding it declares: the whole plan. */
function allBindingsTarget(project: Project) {
  return planningTarget([...project.apis.keys()], {})
}

export function deviationScope(project: Project, api: string): string[] {
  const scope = new Set([api])
  for (const c of planChecks(project, allBindingsTarget(project), {})) {
    if (c.counterpart?.api.api === api) scope.add(c.api.api)
    if (c.api.api === api && c.counterpart) scope.add(c.counterpart.api.api)
  }
  return [...scope].filter((a) => project.apis.has(a)).sort()
}

export async function evaluateDeviation(project: Project, name: string, seed = 42): Promise<DeviationVerdict> {
  checkReferenceNames({ deviations: [name] })
  const deviation = listDeviations().find((d) => d.name === name)!
  return judgeDeviation(deviation, await runAgainstReference(project, [name], { apis: deviationScope(project, deviation.api) }, seed))
}

export async function evaluateVariation(project: Project, name: string, seed = 42): Promise<VariationVerdict> {
  checkReferenceNames({ variations: [name] })
  const variation = listVariations().find((v) => v.name === name)!
  // Only the checks of the APIs it can change: a variation of one API cannot alarm another's checks.
  const apis = variation.apis.filter((api) => project.apis.has(api))
  return judgeVariation(variation, await runAgainstReference(project, [], { apis }, seed, [name]))
}

export interface SelfCheckOptions {
  seed?: number
  parallel?: number
  /** Only these deviations (default: all). */
  only?: string[]
  /** Only these variations (default: all). */
  vary?: string[]
  onVerdict?: (v: DeviationVerdict, done: number, total: number) => void
  onVariation?: (v: VariationVerdict, done: number, total: number) => void
}

/**
 * The plain reference, then every deviation and every variation, each on a reference of its own, `parallel` at a
 * time (one variation per reference: an alarm names the variation that raised it).
 */
export async function runSelfCheck(project: Project, opts: SelfCheckOptions = {}): Promise<SelfCheckReport> {
  const seed = opts.seed ?? 42
  const started = performance.now()
  const plain = await runAgainstReference(project, [], {}, seed)
  const deviations = listDeviations()
    .map((d) => d.name)
    .filter((n) => !opts.only || opts.only.includes(n))
  const variations = listVariations()
    .map((v) => v.name)
    .filter((n) => !opts.vary || opts.vary.includes(n))
  const verdicts: DeviationVerdict[] = new Array(deviations.length)
  const varied: VariationVerdict[] = new Array(variations.length)
  const jobs = [
    ...deviations.map((name, i) => async () => {
      verdicts[i] = await evaluateDeviation(project, name, seed)
      opts.onVerdict?.(verdicts[i]!, verdicts.filter(Boolean).length, deviations.length)
    }),
    ...variations.map((name, i) => async () => {
      varied[i] = await evaluateVariation(project, name, seed)
      opts.onVariation?.(varied[i]!, varied.filter(Boolean).length, variations.length)
    }),
  ]
  await inParallel(jobs, opts.parallel ?? 4)
  return summarise(seed, Math.round(performance.now() - started), plain, verdicts, varied)
}

/**
 * The one interface every consumer of a run's results implements: console progress, the report files, Allure, the
 * self-check's judge, the tests. A run calls `onPlan` once before any check starts, `onCheck` once per check as soon
 * as its verdict is known (in the order verdicts arrive), and `onEnd` once with the run's report.
 */
import type { Check } from '../engine/plan.ts'
import type { CheckResult } from '../engine/result.ts'
import type { ConformanceReport } from '../report/conformance.ts'

export interface RunEnd {
  report: ConformanceReport
  /** Every verdict, in plan order. */
  checks: readonly CheckResult[]
}

export interface RunReporter {
  onPlan?(cases: readonly Check[]): void
  onCheck?(result: CheckResult): void
  /** May return a promise: the run waits for it (files still being written) before it says it is done. */
  onEnd?(end: RunEnd): void | Promise<void>
}

/**
 * Hands the run's end to every reporter, in order. One that throws (a report file that cannot be written) does not keep
 * the others from theirs: what each said is returned, for the run to report as the suite's failure.
 */
export async function endRun(reporters: readonly RunReporter[], end: RunEnd): Promise<string[]> {
  const errors: string[] = []
  for (const r of reporters) {
    try {
      await r.onEnd?.(end)
    } catch (e) {
      errors.push(`a reporter failed at the run's end: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  return errors
}

import type { SerializedError } from 'vitest'
import type { Reporter, TestCase, TestModule, TestRunEndReason } from 'vitest/node'
import type { CheckResult } from '../src/engine/result.ts'

export interface CollectedRun {
  checks: CheckResult[]
  /** Errors outside any check (a suite file that failed to load, an unhandled rejection). */
  errors: string[]
  reason: TestRunEndReason | 'unknown'
}

/** Collects each check's verdict (carried in the test's meta) and prints progress lines for CI logs. */
export class ConformanceReporter implements Reporter {
  readonly run: CollectedRun = { checks: [], errors: [], reason: 'unknown' }
  private readonly write: (line: string) => void
  private total = 0
  private readonly reported = new Map<string, number>()
  private readonly expected: number

  /** `expected`: the number of checks planned, so progress reads [n/total] from the first line. */
  constructor(write: (line: string) => void = (l) => process.stdout.write(`${l}\n`), expected = 0) {
    this.write = write
    this.expected = expected
    this.total = expected
  }

  onTestModuleCollected(module: TestModule): void {
    if (this.planned) return
    this.total += [...module.children.allTests()].length
  }

  private get planned(): boolean {
    return this.expected > 0
  }

  onTestCaseResult(test: TestCase): void {
    const check = test.meta().check
    if (!check) {
      const errors = test.result().errors?.map((e) => e.message) ?? []
      if (errors.length) this.run.errors.push(`${test.fullName}: ${errors.join('; ')}`)
      return
    }
    // A cancelled run reports its tests a second time (vitest re-reports a suite marked skipped by the cancel).
    const earlier = this.reported.get(test.id)
    if (earlier !== undefined) {
      this.run.checks[earlier] = check
      return
    }
    this.reported.set(test.id, this.run.checks.length)
    this.run.checks.push(check)
    const mark = { passed: 'ok  ', failed: 'FAIL', warned: 'warn', skipped: 'skip' }[check.status]
    const first = check.status === 'passed' ? '' : `  ${(check.message ?? '').split('\n')[0]?.slice(0, 160)}`
    this.write(`[${String(this.run.checks.length).padStart(String(this.total).length)}/${this.total}] ${mark} ${check.id} (${check.durationMs} ms)${first}`)
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    this.run.reason = reason
    for (const m of modules) for (const e of m.errors()) this.run.errors.push(`${m.moduleId}: ${e.message}`)
    for (const e of unhandled) this.run.errors.push(e.message)
  }
}

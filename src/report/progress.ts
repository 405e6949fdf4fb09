import type { RunReporter } from '../run/reporter.ts'

const MARK = { passed: 'ok  ', failed: 'FAIL', warned: 'warn', skipped: 'skip' } as const

/** A line per verdict for CI logs: `[n/total] ok   <check id> (ms)`, and the first line of the reason when not passed. */
export function progressReporter(write: (line: string) => void): RunReporter {
  let total = 0
  let done = 0
  return {
    onPlan(cases) {
      total = cases.length
    },
    onCheck(check) {
      done++
      const first = check.status === 'passed' ? '' : `  ${(check.message ?? '').split('\n')[0]?.slice(0, 160)}`
      write(`[${String(done).padStart(String(total).length)}/${total}] ${MARK[check.status]} ${check.id} (${check.durationMs} ms)${first}`)
    },
  }
}

import type { ConformanceReport } from '../report/conformance.ts'
import { EXIT, exitCodeOf, targetUnreachable } from '../report/verdict.ts'

/** The exit code of a finished run (or merge), saying so on stderr when it is not the verdict itself. */
export function exitFor(report: ConformanceReport, openJournal = 0): number {
  const unreachable = targetUnreachable(report.checks)
  const code = exitCodeOf({ verdict: report.summary.verdict, openJournal, targetUnreachable: unreachable })
  if (code === EXIT.suiteError) process.stderr.write(`exit ${code}: the suite itself failed; this run gives no verdict on the target\n`)
  else if (code === EXIT.targetUnusable) process.stderr.write(`exit ${code}: every check failed to reach the target (a pipeline problem, not a verdict)\n`)
  else if (code === EXIT.incomplete)
    process.stderr.write(
      `exit ${code}: incomplete: ${report.summary.unverifiedMust} MUST cell(s) not verified, ${report.summary.partialMust} verified by only some of their checks (see above why); select a subset with --covers/--api/--binding if that is intended\n`,
    )
  return code
}

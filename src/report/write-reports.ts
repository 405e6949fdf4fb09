import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CheckResult } from '../engine/result.ts'
import type { RunReporter } from '../run/reporter.ts'
import type { ConformanceReport } from './conformance.ts'
import { renderJUnit } from './junit.ts'
import { renderMatrixHtml } from './matrix-html.ts'
import { renderMatrixMarkdown } from './matrix-md.ts'

/** The report files of a run (or of merged shards) in OUT: conformance.json, matrix.md/html, junit.xml, exchanges.har. */
export function writeReports(outDir: string, report: ConformanceReport, checks: readonly CheckResult[], har: string): void {
  writeFileSync(join(outDir, 'conformance.json'), `${JSON.stringify(report, null, 2)}\n`)
  writeFileSync(join(outDir, 'matrix.md'), renderMatrixMarkdown(report))
  writeFileSync(join(outDir, 'matrix.html'), renderMatrixHtml(report))
  writeFileSync(join(outDir, 'junit.xml'), renderJUnit(report, [...checks]))
  writeFileSync(join(outDir, 'exchanges.har'), har)
}

/** The report files as a run's reporter: written once, when the run ends. */
export function reportFiles(outDir: string, har: (checks: readonly CheckResult[]) => string): RunReporter {
  return { onEnd: ({ report, checks }) => writeReports(outDir, report, checks, har(checks)) }
}

/** The files a run writes at its end. */
export const REPORT_FILES = ['conformance.json', 'matrix.md', 'matrix.html', 'junit.xml', 'exchanges.har'] as const

/** Removes the previous run's report files, so that a run that dies before its end leaves no verdict that is not its own. */
export function clearReports(outDir: string): void {
  for (const f of REPORT_FILES) rmSync(join(outDir, f), { force: true })
}

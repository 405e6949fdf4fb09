import type { CellStatus, ConformanceReport } from './conformance.ts'
import { loadLine } from './load.ts'
import { usedBindings } from './matrix-md.ts'
import { VERDICT_TEXT } from './verdict.ts'

const CELL: Record<CellStatus, string> = { passed: 'pass', failed: 'FAIL', warned: 'warn', 'not verified': 'n/v' }

/** The behaviour × binding table and the figures, for CI logs (plain text, no colour needed). */
export function renderConsoleSummary(report: ConformanceReport, outDir: string): string {
  const bindings = usedBindings(report)
  const width = Math.max(...bindings.map((b) => b.length), 4)
  const header = `${'behaviour'.padEnd(10)}${'level'.padEnd(9)}${bindings.map((b) => b.padEnd(width + 2)).join('')}`
  const rows = report.behaviours.map(
    (r) => `${r.id.padEnd(10)}${r.level.padEnd(9)}${bindings.map((b) => (r.bindings[b] ? CELL[r.bindings[b]!] : '-').padEnd(width + 2)).join('')}`,
  )
  const s = report.summary
  return [
    '',
    header,
    ...rows,
    '',
    `${s.checks} checks: ${s.passed} passed, ${s.failed} failed, ${s.warned} warned, ${s.skipped} not run in ${(report.durationMs / 1000).toFixed(1)} s (target ${report.target}, seed ${report.seed})`,
    ...skipReasons(report),
    ...retried(report),
    ...(report.load ? [loadLine(report.load)] : []),
    ...coverageLines(report),
    ...(s.suiteErrors ?? []).map((e) => `suite error: ${e}`),
    ...(s.interrupted ? [`interrupted: ${s.interrupted}`] : []),
    `verdict: ${VERDICT_TEXT[s.verdict]}${s.verdict === 'incomplete' ? `: ${s.unverifiedMust} MUST cell(s) not verified, ${s.partialMust} partly` : ''}`,
    `reports: ${['conformance.json', 'matrix.html', 'matrix.md', 'junit.xml', 'exchanges.har', 'allure-results/'].map((f) => `${outDir}/${f}`).join(', ')}`,
    `Allure: npm run report  (HTML in ${outDir}/allure-report, history kept in ${outDir}/allure-history.jsonl)`,
    '',
  ].join('\n')
}

/** Why checks were not run, one line per reason (the write guard's among them). */
function skipReasons(report: ConformanceReport): string[] {
  const counts = new Map<string, number>()
  for (const c of report.checks) if (c.status === 'skipped') counts.set(c.message ?? 'no reason given', (counts.get(c.message ?? 'no reason given') ?? 0) + 1)
  return [...counts].map(([reason, n]) => `  ${n} not run: ${reason}`)
}

/** Cells verified, and, only when it is true, that every cell was. Unverified cells are listed by reason. */
function coverageLines(report: ConformanceReport): string[] {
  const c = report.coverage
  if (c.notVerified.length === 0 && c.partial.length === 0)
    return [`every ${report.selected ? 'selected ' : ''}behaviour is verified on every binding it applies to (${c.verified} cells)`]
  const list = (cells: typeof c.notVerified) =>
    `${cells
      .slice(0, 12)
      .map((u) => `${u.id}@${u.binding}`)
      .join(', ')}${cells.length > 12 ? `, … (${cells.length - 12} more)` : ''}`
  const lines = [
    `${c.verified} of ${c.cells} behaviour × binding cells verified; not verified: ${c.notVerified.length} (${report.summary.unverifiedMust} MUST); verified by only some of their checks: ${c.partial.length} (${report.summary.partialMust} MUST)`,
  ]
  for (const { reason } of report.summary.unverifiedReasons) {
    const cells = c.notVerified.filter((u) => u.reason === reason)
    lines.push(`  ${cells.length} not verified: ${reason}: ${list(cells)}`)
  }
  if (c.partial.length)
    lines.push(
      `  ${c.partial.length} partly verified: ${c.partial
        .slice(0, 8)
        .map((u) => `${u.id}@${u.binding} (${u.reason})`)
        .join('; ')}${c.partial.length > 8 ? `; … (${c.partial.length - 8} more)` : ''}`,
    )
  return lines
}

/** Requests the target throttled (429/503 with Retry-After) and the suite sent again: never hidden. */
function retried(report: ConformanceReport): string[] {
  const checks = report.checks.filter((c) => (c.retries ?? 0) > 0)
  if (checks.length === 0) return []
  const total = checks.reduce((n, c) => n + (c.retries ?? 0), 0)
  const names =
    checks
      .slice(0, 5)
      .map((c) => c.id)
      .join(', ') + (checks.length > 5 ? `, … (${checks.length - 5} more)` : '')
  return [`  ${total} request(s) retried after 429/503 with Retry-After, in ${checks.length} check(s): ${names}`]
}

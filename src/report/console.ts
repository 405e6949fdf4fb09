import type { CellStatus, ConformanceReport } from './conformance.ts'
import { usedBindings } from './matrix-md.ts'

const CELL: Record<CellStatus, string> = { passed: 'pass', failed: 'FAIL', warned: 'warn', skipped: 'skip', 'not covered': 'HOLE' }

/** The behaviour × binding table and the figures, for CI logs (plain text, no colour needed). */
export function renderConsoleSummary(report: ConformanceReport, outDir: string): string {
  const bindings = usedBindings(report)
  const width = Math.max(...bindings.map((b) => b.length), 4)
  const header = `${'behaviour'.padEnd(10)}${'level'.padEnd(9)}${bindings.map((b) => b.padEnd(width + 2)).join('')}`
  const rows = report.behaviours.map((r) => `${r.id.padEnd(10)}${r.level.padEnd(9)}${bindings.map((b) => (r.bindings[b] ? CELL[r.bindings[b]!] : '-').padEnd(width + 2)).join('')}`)
  const s = report.summary
  const holes = report.coverage.holes
  return [
    '',
    header,
    ...rows,
    '',
    `${s.checks} checks: ${s.passed} passed, ${s.failed} failed, ${s.warned} warned, ${s.skipped} skipped in ${(report.durationMs / 1000).toFixed(1)} s (target ${report.target}, seed ${report.seed})`,
    ...skipReasons(report),
    ...retried(report),
    holes.length ? `not covered (${holes.length}): ${holes.map((h) => `${h.id}@${h.binding}`).join(', ')}` : 'every behaviour is covered on every binding it applies to',
    `verdict: ${s.conformant ? 'CONFORMANT (no MUST failed)' : 'NOT CONFORMANT'}`,
    `reports: ${['conformance.json', 'matrix.html', 'matrix.md', 'junit.xml', 'exchanges.har', 'allure-results/'].map((f) => `${outDir}/${f}`).join(', ')}`,
    `Allure: npm run report  (HTML in ${outDir}/allure-report, history kept in ${outDir}/allure-history.jsonl)`,
    '',
  ].join('\n')
}

/** Why checks were skipped, one line per reason (the write guard's among them). */
function skipReasons(report: ConformanceReport): string[] {
  const counts = new Map<string, number>()
  for (const c of report.checks) if (c.status === 'skipped') counts.set(c.message ?? 'no reason given', (counts.get(c.message ?? 'no reason given') ?? 0) + 1)
  return [...counts].map(([reason, n]) => `  ${n} skipped: ${reason}`)
}

/** Requests the target throttled (429/503 with Retry-After) and the suite sent again: never hidden. */
function retried(report: ConformanceReport): string[] {
  const checks = report.checks.filter((c) => (c.retries ?? 0) > 0)
  if (checks.length === 0) return []
  const total = checks.reduce((n, c) => n + (c.retries ?? 0), 0)
  const names = checks.slice(0, 5).map((c) => c.id).join(', ') + (checks.length > 5 ? `, … (${checks.length - 5} more)` : '')
  return [`  ${total} request(s) retried after 429/503 with Retry-After, in ${checks.length} check(s): ${names}`]
}

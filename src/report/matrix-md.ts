import { BINDING_NAMES, type BindingName } from '../bindings/types.ts'
import type { CellStatus, ConformanceReport } from './conformance.ts'
import type { Verdict } from './verdict.ts'

const SYMBOL: Record<CellStatus, string> = { passed: '✅', failed: '❌', warned: '⚠️', 'not verified': '⏭️' }

export const VERDICT_WORD: Record<Verdict, string> = {
  conformant: 'conformant',
  'not conformant': 'NOT conformant',
  incomplete: 'INCOMPLETE',
  'suite error': 'NO VERDICT (suite error)',
  interrupted: 'NO VERDICT (interrupted)',
}

export function usedBindings(report: ConformanceReport): BindingName[] {
  return BINDING_NAMES.filter((b) => report.behaviours.some((r) => r.bindings[b] !== undefined))
}

/** matrix.md: behaviours down, bindings across; for pull-request comments. */
export function renderMatrixMarkdown(report: ConformanceReport): string {
  const bindings = usedBindings(report)
  const s = report.summary
  const lines = [
    `## Conformance: ${report.target} — ${VERDICT_WORD[s.verdict]}`,
    '',
    `${s.checks} checks: ${s.passed} passed, ${s.failed} failed, ${s.warned} warned, ${s.skipped} not run · ${report.coverage.verified}/${report.coverage.cells} behaviour×binding cells verified · seed ${report.seed}${report.deviations ? ` · deviations: ${report.deviations.join(', ')}` : ''}`,
    '',
    `| Behaviour | Level | ${bindings.join(' | ')} |`,
    `|---|---|${bindings.map(() => ':-:').join('|')}|`,
    ...report.behaviours.map(
      (r) =>
        `| **${r.id}** ${r.title.replace(/\|/g, '\\|').slice(0, 90)} | ${r.level} | ${bindings.map((b) => (r.bindings[b] ? SYMBOL[r.bindings[b]!] : '·')).join(' | ')} |`,
    ),
    '',
    `${Object.entries(SYMBOL)
      .map(([k, v]) => `${v} ${k}`)
      .join(' · ')} · \`·\` not applicable`,
  ]
  if (report.coverage.notVerified.length) {
    lines.push('', `### Not verified (${report.coverage.notVerified.length} cells, ${s.unverifiedMust} MUST)`, '')
    for (const { reason, cells } of s.unverifiedReasons) lines.push(`- ${cells} cell(s): ${reason}`)
  }
  if (report.coverage.partial.length) {
    lines.push('', `### Verified by only some of their checks (${report.coverage.partial.length} cells, ${s.partialMust} MUST)`, '')
    for (const u of report.coverage.partial) lines.push(`- ${u.id}@${u.binding}: ${u.reason}`)
  }
  for (const e of s.suiteErrors ?? []) lines.push('', `**Suite error:** ${e}`)
  const failed = report.checks.filter((c) => c.status === 'failed' || c.status === 'warned')
  if (failed.length) {
    lines.push('', '### Failures and warnings', '')
    for (const c of failed)
      lines.push(`- ${c.status === 'failed' ? '❌' : '⚠️'} \`${c.id}\` (${c.covers.join(', ')}; ${c.spec}): ${(c.message ?? '').split('\n')[0]}`)
  }
  return `${lines.join('\n')}\n`
}

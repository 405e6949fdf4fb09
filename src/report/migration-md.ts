import type { AnswerDifference, CheckComparison, Verdict } from '../compare/classify.ts'
import type { MigrationReport } from '../compare/migration.ts'

export const VERDICT_LABEL: Record<Verdict, string> = {
  regression: 'Regressions (passed on the baseline, fail on the candidate): blockers',
  unstable: 'Unstable on the baseline (passed in one of its runs, failed in the other)',
  differs: 'Both pass, answers differ',
  'both-failing': 'Both failing',
  fix: 'Fixes (failed on the baseline, pass on the candidate)',
  'only-baseline': 'Only run on the baseline',
  'only-candidate': 'Only run on the candidate',
  'not-compared': 'Not compared (skipped on one side)',
  same: 'Same',
}

const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
const cut = (s: string | undefined, n = 120) => (s === undefined ? '—' : `\`${md(s.length > n ? `${s.slice(0, n)}…` : s)}\``)

export function describeDifference(d: AnswerDifference): string {
  switch (d.kind) {
    case 'sequence': return `calls made: ${d.baseline} → ${d.candidate}`
    case 'status': return `verdict ${d.baseline} → ${d.candidate}`
    case 'added': return `${d.operation} ${d.path}: only the candidate has it (${d.candidate})`
    case 'removed': return `${d.operation} ${d.path}: only the baseline has it (${d.baseline})`
    case 'format': return `${d.operation} ${d.path}: format changed (${d.baseline} → ${d.candidate})`
    case 'value': return `${d.operation} ${d.path}: ${d.baseline} → ${d.candidate}`
  }
}

/** migration.md: for the pull request that switches vendors. */
export function renderMigrationMarkdown(r: MigrationReport): string {
  const s = r.summary
  const who = (t: { target: string; deviations: string[] }) => `${t.target}${t.deviations.length ? ` (deviations: ${t.deviations.join(', ')})` : ''}`
  const lines = [
    `## Migration: ${who(r.baseline)} → ${who(r.candidate)} — ${r.verdict === 'blocked' ? `BLOCKED (${s.blockers} blocker${s.blockers === 1 ? '' : 's'})` : 'clear'}`,
    '',
    `${s.checks} checks: ${s.regression} regressions, ${s.fix} fixes, ${s['both-failing']} both failing, ${s.differs} differ while passing, ${s.same} same, ${s.unstable} unstable on the baseline, ${s['not-compared'] + s['only-baseline'] + s['only-candidate']} not compared · WSDL: ${s.wsdlBreaking} breaking, ${s.wsdlNotices} notices · seed ${r.seed} · noise learned from two baseline runs: ${r.noise.keys} answer fields`,
  ]
  const wsdlChanges = r.wsdl.filter((w) => w.changes.length || w.error)
  if (wsdlChanges.length) {
    lines.push('', '### WSDL drift (what a generated client would notice)', '')
    for (const w of wsdlChanges) {
      lines.push(`**${w.api}**${w.error ? `: ${w.error}` : ''}`, '')
      if (w.changes.length) {
        lines.push('| | Fact | Baseline | Candidate | Effect |', '|---|---|---|---|---|')
        for (const c of w.changes) lines.push(`| ${c.severity === 'breaking' ? '❌' : 'ℹ️'} | ${md(c.fact)} | ${cut(c.baseline, 60)} | ${cut(c.candidate, 60)} | ${md(c.effect)} |`)
        lines.push('')
      }
    }
  }
  for (const verdict of ['regression', 'unstable', 'differs', 'both-failing', 'fix', 'only-baseline', 'only-candidate', 'not-compared'] as const) {
    const checks = r.checks.filter((c) => c.verdict === verdict)
    if (checks.length === 0) continue
    lines.push('', `### ${VERDICT_LABEL[verdict]} (${checks.length})`, '')
    for (const c of checks) lines.push(...checkLines(c))
  }
  return `${lines.join('\n')}\n`
}

function checkLines(c: CheckComparison): string[] {
  const first = (m: string | null | undefined): string => (m ?? '').split('\n')[0] ?? ''
  const out = [`- \`${c.id}\` (${c.level})`]
  if (c.verdict === 'regression' || c.verdict === 'both-failing') out.push(`  - candidate: ${md(first(c.candidate?.message))}`)
  if (c.verdict === 'fix' || c.verdict === 'both-failing') out.push(`  - baseline: ${md(first(c.baseline?.message))}`)
  if (c.verdict === 'not-compared') out.push(`  - ${md(first(c.baseline?.status === 'skipped' ? `baseline skipped: ${c.baseline.message}` : `candidate skipped: ${c.candidate?.message}`))}`)
  for (const d of c.differences.slice(0, 10)) out.push(`  - ${md(describeDifference(d))}`)
  if (c.differences.length > 10) out.push(`  - … ${c.differences.length - 10} more differences in migration.json`)
  return out
}

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
  same: 'Same (no difference once user data and noise are set aside)',
}

const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')
const cut = (s: string | undefined, n = 120) => (s === undefined ? '—' : `\`${md(s.length > n ? `${s.slice(0, n)}…` : s)}\``)

export function describeDifference(d: AnswerDifference): string {
  switch (d.kind) {
    case 'sequence':
      return `calls made: ${d.baseline} → ${d.candidate}`
    case 'status':
      return `verdict ${d.baseline} → ${d.candidate}`
    case 'added':
      return `${d.operation} ${d.path}: only the candidate has it (${d.candidate})`
    case 'removed':
      return `${d.operation} ${d.path}: only the baseline has it (${d.baseline})`
    case 'format':
      return `${d.operation} ${d.path}: format changed (${d.baseline} → ${d.candidate})`
    case 'value':
      return `${d.operation} ${d.path}: ${d.baseline} → ${d.candidate}`
  }
}

/**
 * The order both reports follow: what blocks the switch, then what differs, then what got better, then what is equal or
 * was not compared. WSDL changes sit with the checks of their weight (breaking with the blockers, notices with the
 * differences).
 */
export const SECTION_ORDER = {
  blockers: ['regression'],
  differences: ['differs', 'unstable', 'both-failing', 'only-baseline', 'only-candidate'],
  improvements: ['fix'],
  rest: ['not-compared', 'same'],
} as const satisfies Record<string, readonly Verdict[]>

export function summaryLine(r: MigrationReport): string {
  const s = r.summary
  return `${s.checks} checks: ${s.regression} regressions, ${s.differs} differ while passing, ${s.unstable} unstable on the baseline, ${s['both-failing']} both failing, ${s.fix} fixes, ${s.same} same, ${s['not-compared'] + s['only-baseline'] + s['only-candidate']} not compared · WSDL: ${s.wsdlBreaking} breaking, ${s.wsdlNotices} notices · seed ${r.seed} · noise learned from two baseline runs: ${r.noise.keys} answer fields`
}

/** migration.md: for the pull request that switches vendors. */
export function renderMigrationMarkdown(r: MigrationReport): string {
  const s = r.summary
  const who = (t: { target: string; deviations: string[] }) => `${t.target}${t.deviations.length ? ` (deviations: ${t.deviations.join(', ')})` : ''}`
  const lines = [
    `## Migration: ${who(r.baseline)} → ${who(r.candidate)} — ${r.verdict === 'blocked' ? `BLOCKED (${s.blockers} blocker${s.blockers === 1 ? '' : 's'})` : 'clear'}`,
    '',
    summaryLine(r),
    '',
    `APIs compared: ${r.apis.compared.join(', ')}${r.apis.notCompared.length ? ` · not compared: ${r.apis.notCompared.map((n) => n.api).join(', ')} (below)` : ''}`,
  ]
  const checks = (verdicts: readonly Verdict[]) => {
    for (const verdict of verdicts) {
      const list = r.checks.filter((c) => c.verdict === verdict)
      if (list.length === 0) continue
      lines.push('', `### ${VERDICT_LABEL[verdict]} (${list.length})`, '')
      if (verdict === 'same') lines.push(list.map((c) => `\`${c.id}\``).join(', '))
      else for (const c of list) lines.push(...checkLines(c))
    }
  }
  const wsdl = (severity: 'breaking' | 'notice', title: string) => {
    const rows = r.wsdl.flatMap((w) => w.changes.filter((c) => c.severity === severity).map((c) => ({ api: w.api, c })))
    if (rows.length === 0) return
    lines.push('', `### ${title} (${rows.length})`, '', '| API | Fact | Baseline | Candidate | Effect |', '|---|---|---|---|---|')
    for (const { api, c } of rows) lines.push(`| ${md(api)} | ${md(c.fact)} | ${cut(c.baseline, 60)} | ${cut(c.candidate, 60)} | ${md(c.effect)} |`)
  }
  checks(SECTION_ORDER.blockers)
  wsdl('breaking', "WSDL changes that break a client generated from the baseline's WSDL: blockers")
  checks(SECTION_ORDER.differences)
  wsdl('notice', 'WSDL changes a generated client would notice but survive')
  checks(SECTION_ORDER.improvements)
  if (r.apis.notCompared.length || r.wsdl.some((w) => w.error)) {
    lines.push('', '### Not compared: APIs and WSDLs', '')
    for (const n of r.apis.notCompared) lines.push(`- ${md(n.api)}: ${md(n.reason)}`)
    for (const w of r.wsdl.filter((x) => x.error)) lines.push(`- ${md(w.api)} WSDL: ${md(w.error!)}`)
  }
  checks(SECTION_ORDER.rest)
  return `${lines.join('\n')}\n`
}

function checkLines(c: CheckComparison): string[] {
  const first = (m: string | null | undefined): string => (m ?? '').split('\n')[0] ?? ''
  const out = [`- \`${c.id}\` (${c.level})`]
  if (c.verdict === 'regression' || c.verdict === 'both-failing') out.push(`  - candidate: ${md(first(c.candidate?.message))}`)
  if (c.verdict === 'fix' || c.verdict === 'both-failing') out.push(`  - baseline: ${md(first(c.baseline?.message))}`)
  if (c.verdict === 'not-compared')
    out.push(`  - ${md(first(c.baseline?.status === 'skipped' ? `baseline skipped: ${c.baseline.message}` : `candidate skipped: ${c.candidate?.message}`))}`)
  for (const d of c.differences.slice(0, 10)) out.push(`  - ${md(describeDifference(d))}`)
  if (c.differences.length > 10) out.push(`  - … ${c.differences.length - 10} more differences in migration.json`)
  return out
}

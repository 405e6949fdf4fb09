import { diffLines } from 'diff'
import type { CheckComparison } from '../compare/classify.ts'
import type { MigrationReport } from '../compare/migration.ts'
import type { RecordedAnswer } from '../compare/run-record.ts'
import { esc, PAGE_CSS } from './html.ts'
import { describeDifference, VERDICT_LABEL } from './migration-md.ts'

/** migration.html: one self-contained page; regressions and differing answers shown side by side, diffed. */
export function renderMigrationHtml(r: MigrationReport): string {
  const s = r.summary
  const who = (t: { target: string; deviations: string[] }) => `${t.target}${t.deviations.length ? ` (deviations: ${t.deviations.join(', ')})` : ''}`
  const sections = (['regression', 'unstable', 'differs', 'both-failing', 'fix', 'only-baseline', 'only-candidate', 'not-compared'] as const)
    .map((v) => [v, r.checks.filter((c) => c.verdict === v)] as const)
    .filter(([, cs]) => cs.length)
    .map(([v, cs]) => `<h2 id="${v}">${esc(VERDICT_LABEL[v])} (${cs.length})</h2>\n${cs.map(checkBlock).join('\n')}`)
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`Migration ${r.baseline.target} → ${r.candidate.target}: ${r.verdict}`)}</title>
<style>
${PAGE_CSS}
h3{font-size:1rem;margin:1rem 0 .25rem}th{text-align:left}
.clear{background:#d7f5dd;color:#0f5323}.blocked{background:#ffd7d5;color:#8a1212}
code,pre{font:12px/1.35 ui-monospace,SFMono-Regular,Menlo,monospace}
details{margin:.25rem 0 .75rem}summary{cursor:pointer}
table.side{width:100%;table-layout:fixed}table.side td{white-space:pre-wrap;word-break:break-all;font:12px/1.35 ui-monospace,monospace;padding:0 .4rem;border-top:none;border-bottom:none}
td.del{background:#ffe4e2}td.ins{background:#dcfce7}td.gap{background:#f1f5f9}
.breaking{color:#8a1212;font-weight:600}.notice{color:#334155}
</style>
</head>
<body>
<h1>Migration: ${esc(who(r.baseline))} → ${esc(who(r.candidate))} <span class="verdict ${r.verdict}">${r.verdict === 'blocked' ? `BLOCKED: ${s.blockers} blocker${s.blockers === 1 ? '' : 's'}` : 'clear'}</span></h1>
<p>${s.checks} checks: ${s.regression} regressions, ${s.fix} fixes, ${s['both-failing']} both failing, ${s.differs} differ while passing, ${s.same} same, ${s.unstable} unstable on the baseline. WSDL: ${s.wsdlBreaking} breaking changes, ${s.wsdlNotices} notices. Seed ${r.seed}. Noise learned from two runs of the baseline: ${r.noise.keys} answer fields (${r.noise.ignored.length} ignored, ${r.noise.formatOnly.length} compared by format only).</p>
${wsdlSection(r)}
${sections.join('\n')}
</body>
</html>
`
}

function wsdlSection(r: MigrationReport): string {
  const rows = r.wsdl.flatMap((w) => [
    ...(w.error ? [`<tr><td>${esc(w.api)}</td><td colspan="4">${esc(w.error)}</td></tr>`] : []),
    ...w.changes.map((c) => `<tr><td>${esc(w.api)}</td><td class="${c.severity}">${c.severity}</td><td><code>${esc(c.fact)}</code></td><td><code>${esc(c.baseline ?? '—')}</code> → <code>${esc(c.candidate ?? '—')}</code></td><td>${esc(c.effect)}</td></tr>`),
  ])
  if (rows.length === 0) return `<h2>WSDL drift</h2>\n<p>None: ${r.wsdl.map((w) => esc(w.api)).join(', ') || 'no SOAP API'} — the candidate's WSDLs declare what the baseline's do.</p>`
  return `<h2>WSDL drift (what a generated client would notice)</h2>\n<table><tr><th>API</th><th>Severity</th><th>Fact</th><th>Change</th><th>Effect</th></tr>\n${rows.join('\n')}\n</table>`
}

function checkBlock(c: CheckComparison): string {
  const msg = (label: string, m: string | null | undefined) => (m ? `<p><b>${label}:</b> ${esc(m)}</p>` : '')
  const diffs = c.differences.length ? `<ul>${c.differences.map((d) => `<li>${esc(describeDifference(d))}</li>`).join('')}</ul>` : ''
  const answers = (c.answers ?? []).map((a, i) => sideBySide(i, a.operation, a.baseline, a.candidate)).join('\n')
  return `<h3 id="${esc(c.id)}"><code>${esc(c.id)}</code> <small>${esc(c.level)} · baseline ${esc(c.baseline?.status ?? '—')} · candidate ${esc(c.candidate?.status ?? '—')}</small></h3>
${msg('Candidate', c.verdict === 'fix' ? null : c.candidate?.message)}${msg('Baseline', c.verdict === 'regression' ? null : c.baseline?.message)}${diffs}${answers}`
}

function sideBySide(index: number, operation: string, b: RecordedAnswer | undefined, c: RecordedAnswer | undefined): string {
  const [left, right] = [b ? shown(b) : '', c ? shown(c) : '']
  const same = left === right
  const rows: string[] = []
  let dels: string[] = []
  let ins: string[] = []
  const flush = () => {
    for (let i = 0; i < Math.max(dels.length, ins.length); i++) {
      rows.push(`<tr><td class="${dels[i] !== undefined ? 'del' : 'gap'}">${esc(dels[i] ?? '')}</td><td class="${ins[i] !== undefined ? 'ins' : 'gap'}">${esc(ins[i] ?? '')}</td></tr>`)
    }
    dels = []
    ins = []
  }
  for (const part of diffLines(left, right)) {
    const lines = part.value.replace(/\n$/, '').split('\n')
    if (part.removed) dels.push(...lines)
    else if (part.added) ins.push(...lines)
    else {
      flush()
      for (const l of lines) rows.push(`<tr><td>${esc(l)}</td><td>${esc(l)}</td></tr>`)
    }
  }
  flush()
  return `<details${same ? '' : ' open'}><summary>#${index + 1} ${esc(operation)}${same ? ' (identical)' : ''}</summary>
<table class="side"><tr><th>Baseline</th><th>Candidate</th></tr>
${rows.join('\n')}
</table></details>`
}

/** Status line and body, bodies laid out one element or JSON member per line so that lines diff well. */
function shown(a: RecordedAnswer): string {
  return `HTTP ${a.status} ${a.contentType}\n\n${pretty(a.body)}`
}

export function pretty(body: string): string {
  const t = body.trim()
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.stringify(JSON.parse(t), null, 2)
    } catch { /* shown as is */ }
  }
  if (t.startsWith('<')) {
    let depth = 0
    return t.replace(/>\s*</g, '>\n<').split('\n').map((line) => {
      if (/^<\//.test(line)) depth = Math.max(0, depth - 1)
      const out = `${'  '.repeat(depth)}${line}`
      if (/^<[^!?/][^>]*[^/]>$/.test(line) && !/<\/[^>]+>$/.test(line)) depth++
      return out
    }).join('\n')
  }
  return t
}

import { diffLines } from 'diff'
import type { CheckComparison, Verdict } from '../compare/classify.ts'
import type { MigrationReport } from '../compare/migration.ts'
import type { RecordedAnswer } from '../compare/run-record.ts'
import { esc, PAGE_CSS } from './html.ts'
import { describeDifference, SECTION_ORDER, summaryLine, VERDICT_LABEL } from './migration-md.ts'

/**
 * migration.html: one self-contained page. It leads with what blocks the switch (regressions, WSDL changes that break a
 * generated client), then what differs, then what got better, then what is equal or was not compared; regressions and
 * differing answers side by side, diffed.
 */
export function renderMigrationHtml(r: MigrationReport): string {
  const s = r.summary
  const who = (t: { target: string; deviations: string[] }) => `${t.target}${t.deviations.length ? ` (deviations: ${t.deviations.join(', ')})` : ''}`
  const checks = (verdicts: readonly Verdict[]) =>
    verdicts
      .map((v) => [v, r.checks.filter((c) => c.verdict === v)] as const)
      .filter(([, cs]) => cs.length)
      .map(([v, cs]) => `<h3 id="${v}">${esc(VERDICT_LABEL[v])} (${cs.length})</h3>\n${v === 'same' ? sameList(cs) : cs.map(checkBlock).join('\n')}`)
      .join('\n')
  const part = (id: string, title: string, body: string, empty: string) => `<h2 id="${id}">${esc(title)}</h2>\n${body.trim() ? body : `<p>${esc(empty)}</p>`}`
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
<p>${esc(summaryLine(r))}. User data (each target's own users, mapped onto their roles in each check) is never a difference; ${r.noise.ignored.length} noisy fields ignored, ${r.noise.formatOnly.length} compared by format only.</p>
<p>APIs compared: ${esc(r.apis.compared.join(', '))}${r.apis.notCompared.length ? `; <a href="#not-compared-apis">not compared</a>: ${esc(r.apis.notCompared.map((n) => n.api).join(', '))}` : ''}.</p>
${part('blockers', 'Regressions: blockers', `${checks(SECTION_ORDER.blockers)}\n${wsdlTable(r, 'breaking', "WSDL changes that break a client generated from the baseline's WSDL")}`, 'None: every check that passed on the baseline passes on the candidate, and its WSDLs break no generated client.')}
${part('differences', 'Differences', `${checks(SECTION_ORDER.differences)}\n${wsdlTable(r, 'notice', 'WSDL changes a generated client would notice but survive')}`, 'None: where both pass, their answers are the same.')}
${part('improvements', 'Improvements', checks(SECTION_ORDER.improvements), 'None: no check that failed on the baseline passes on the candidate.')}
${part('rest', 'Equal and not compared', `${notComparedApis(r)}\n${checks(SECTION_ORDER.rest)}`, 'Nothing.')}
</body>
</html>
`
}

function wsdlTable(r: MigrationReport, severity: 'breaking' | 'notice', title: string): string {
  const rows = r.wsdl.flatMap((w) =>
    w.changes
      .filter((c) => c.severity === severity)
      .map(
        (c) =>
          `<tr><td>${esc(w.api)}</td><td class="${c.severity}">${c.severity}</td><td><code>${esc(c.fact)}</code></td><td><code>${esc(c.baseline ?? '—')}</code> → <code>${esc(c.candidate ?? '—')}</code></td><td>${esc(c.effect)}</td></tr>`,
      ),
  )
  if (rows.length === 0) return ''
  return `<h3>${esc(title)} (${rows.length})</h3>\n<table><tr><th>API</th><th>Severity</th><th>Fact</th><th>Change</th><th>Effect</th></tr>\n${rows.join('\n')}\n</table>`
}

function notComparedApis(r: MigrationReport): string {
  const items = [
    ...r.apis.notCompared.map((n) => `<li><b>${esc(n.api)}</b>: ${esc(n.reason)}</li>`),
    ...r.wsdl.filter((w) => w.error).map((w) => `<li><b>${esc(w.api)}</b> WSDL: ${esc(w.error!)}</li>`),
  ]
  const compared = r.wsdl.filter((w) => !w.error).map((w) => w.api)
  const same = compared.filter((api) => !r.wsdl.find((w) => w.api === api)!.changes.length)
  return `${items.length ? `<h3 id="not-compared-apis">Not compared: APIs and WSDLs (${items.length})</h3>\n<ul>${items.join('')}</ul>` : ''}${same.length ? `\n<p>WSDLs the same: ${esc(same.join(', '))}.</p>` : ''}`
}

function sameList(checks: CheckComparison[]): string {
  return `<details><summary>${checks.length} checks</summary><p>${checks.map((c) => `<code>${esc(c.id)}</code>`).join(', ')}</p></details>`
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
      rows.push(
        `<tr><td class="${dels[i] !== undefined ? 'del' : 'gap'}">${esc(dels[i] ?? '')}</td><td class="${ins[i] !== undefined ? 'ins' : 'gap'}">${esc(ins[i] ?? '')}</td></tr>`,
      )
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
    } catch {
      /* shown as is */
    }
  }
  if (t.startsWith('<')) {
    let depth = 0
    return t
      .replace(/>\s*</g, '>\n<')
      .split('\n')
      .map((line) => {
        if (/^<\//.test(line)) depth = Math.max(0, depth - 1)
        const out = `${'  '.repeat(depth)}${line}`
        if (/^<[^!?/][^>]*[^/]>$/.test(line) && !/<\/[^>]+>$/.test(line)) depth++
        return out
      })
      .join('\n')
  }
  return t
}

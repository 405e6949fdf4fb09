import { BINDING_NAMES, type BindingName } from '../bindings/types.ts'
import { esc, PAGE_CSS } from './html.ts'
import type { BehaviourRow, CellStatus, ConformanceReport } from './conformance.ts'
import { VERDICT_WORD } from './matrix-md.ts'

export type MatrixCell = CellStatus | 'not applicable'

/** One look per cell status: a class, a mark (so colour is never the only signal) and colours. */
export const CELL_LOOK: Record<MatrixCell, { cls: string; mark: string; background: string; color: string }> = {
  passed: { cls: 's-passed', mark: '✓', background: '#d7f5dd', color: '#0f5323' },
  failed: { cls: 's-failed', mark: '✗', background: '#ffd7d5', color: '#8a1212' },
  warned: { cls: 's-warned', mark: '!', background: '#fff0c2', color: '#6b4a00' },
  'not verified': { cls: 's-unverified', mark: '○', background: '#e2e8f0', color: '#334155' },
  'not applicable': { cls: 's-na', mark: '·', background: '#ffffff', color: '#94a3b8' },
}

/** matrix.html: behaviours × bindings per API, one self-contained page (inline CSS, no script, no external resource). */
export function renderMatrixHtml(report: ConformanceReport): string {
  const s = report.summary
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`Conformance: ${report.target} — ${VERDICT_WORD[s.verdict]}`)}</title>
<style>
${css()}
</style>
</head>
<body>
${header(report)}
${legend()}
${apiGroups(report.behaviours)
  .map(([api, rows]) => apiTable(api, rows))
  .join('\n')}
${problems(report)}
${unverified(report)}
</body>
</html>
`
}

function css(): string {
  const cells = Object.values(CELL_LOOK).map((l) => `.${l.cls}{background:${l.background};color:${l.color}}`)
  return [
    PAGE_CSS,
    '.verdict.yes{background:#d7f5dd;color:#0f5323}.verdict.no{background:#ffd7d5;color:#8a1212}.verdict.incomplete{background:#fff0c2;color:#6b4a00}',
    'td.cell a{color:inherit}td.cell small{display:block;font-size:.75em;max-width:14rem;white-space:normal;text-align:left}',
    'li:target{outline:2px solid #1d4ed8}',
    'dl.figures{display:grid;grid-template-columns:max-content auto;gap:.15rem 1rem;margin:.5rem 0 1rem}',
    'dl.figures dt{font-weight:600}dl.figures dd{margin:0}',
    'thead th{background:#f1f5f9}td.title{max-width:42rem}',
    'td.cell{text-align:center;white-space:nowrap;min-width:5.5rem}',
    'ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}',
    'ul.legend li{border:1px solid #cbd5e1;padding:.1rem .5rem}',
    'code{font-size:.9em}',
    ...cells,
  ].join('\n')
}

function header(report: ConformanceReport): string {
  const s = report.summary
  const c = report.coverage
  const figures: Array<[string, string]> = [
    ['Target', report.target],
    ['Seed', String(report.seed)],
    ['Started', report.startedAt],
    ['Duration', `${(report.durationMs / 1000).toFixed(1)} s`],
    ['Checks', `${s.checks}: ${s.passed} passed, ${s.failed} failed, ${s.warned} warned, ${s.skipped} not run`],
    ['Verdict', VERDICT_WORD[s.verdict]],
    ['Verified', `${c.verified}/${c.cells} behaviour × binding cells`],
    ['Not verified', `${c.notVerified.length} (${s.unverifiedMust} MUST)`],
    ...(s.suiteErrors ?? []).map((e): [string, string] => ['Suite error', e]),
    ...(report.deviations?.length ? [['Deviations', report.deviations.join(', ')] as [string, string]] : []),
    ['Tool', `${report.tool.name} ${report.tool.version}`],
  ]
  return [
    `<header>`,
    `<h1>Conformance matrix: ${esc(report.target)} <span class="verdict ${s.conformant ? 'yes' : s.verdict === 'incomplete' ? 'incomplete' : 'no'}">${esc(VERDICT_WORD[s.verdict])}</span></h1>`,
    `<dl class="figures">${figures.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`,
    `</header>`,
  ].join('\n')
}

function legend(): string {
  const items = (Object.entries(CELL_LOOK) as Array<[MatrixCell, (typeof CELL_LOOK)[MatrixCell]]>).map(
    ([status, l]) => `<li class="${l.cls}">${esc(l.mark)} ${esc(status)}</li>`,
  )
  return `<ul class="legend" aria-label="Legend">${items.join('')}</ul>`
}

/** Rows grouped by API, in the order the report lists them (cross-cutting `*` rows form their own group). */
function apiGroups(rows: BehaviourRow[]): Array<[string, BehaviourRow[]]> {
  const groups = new Map<string, BehaviourRow[]>()
  for (const r of rows) groups.set(r.api, [...(groups.get(r.api) ?? []), r])
  return [...groups]
}

function bindingsOf(rows: BehaviourRow[]): BindingName[] {
  return BINDING_NAMES.filter((b) => rows.some((r) => r.bindings[b] !== undefined))
}

function apiTable(api: string, rows: BehaviourRow[]): string {
  const bindings = bindingsOf(rows)
  const title = api === '*' ? 'Every API (cross-cutting behaviours)' : `API ${api}`
  return [
    `<section>`,
    `<h2>${esc(title)}</h2>`,
    `<table>`,
    `<thead><tr><th scope="col">Behaviour</th><th scope="col">Level</th><th scope="col">Title</th>${bindings.map((b) => `<th scope="col">${esc(b)}</th>`).join('')}</tr></thead>`,
    `<tbody>`,
    ...rows.map(
      (r) =>
        `<tr><th scope="row">${esc(r.id)}</th><td>${esc(r.level)}</td><td class="title">${esc(r.title)}</td>${bindings.map((b) => cell(r, b)).join('')}</tr>`,
    ),
    `</tbody>`,
    `</table>`,
    `</section>`,
  ].join('\n')
}

/** The id of a check's entry in the failure list, so that a cell can link to it. */
const checkAnchor = (id: string) => `check-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`
const cellAnchor = (row: string, binding: string) => `cell-${row}-${binding}`.replace(/[^A-Za-z0-9_-]/g, '_')

/** A cell shows its status and, when it did not pass, the start of why, linked to the full text below. */
function cell(row: BehaviourRow, binding: BindingName): string {
  const status: MatrixCell = row.bindings[binding] ?? 'not applicable'
  const look = CELL_LOOK[status]
  const failure = status === 'failed' || status === 'warned' ? row.messages?.[binding] : undefined
  const why = failure ?? row.reasons?.[binding]
  if (!why) return `<td class="cell ${look.cls}">${esc(look.mark)} ${esc(status)}</td>`
  const check = failure ? (failure.split(':')[0] ?? '') : ''
  const href = failure ? `#${checkAnchor(check)}` : `#${cellAnchor(row.id, binding)}`
  const text = failure ? failure.slice(check.length + 1).trim() : why
  const label = status === 'passed' ? 'passed (partly)' : status
  return `<td class="cell ${look.cls}"><a href="${href}">${esc(look.mark)} ${esc(label)}</a><small>${esc(text.length > 120 ? `${text.slice(0, 119)}…` : text)}</small></td>`
}

function problems(report: ConformanceReport): string {
  const rows = report.checks.filter((c) => c.status === 'failed' || c.status === 'warned')
  if (!rows.length) return ''
  const items = rows.map(
    (c) =>
      `<li id="${checkAnchor(c.id)}"><span class="${CELL_LOOK[c.status as 'failed' | 'warned'].cls}">${esc(c.status)}</span> <code>${esc(c.id)}</code> (${esc(c.covers.join(', '))}; ${esc(c.spec)}:${c.line}): ${esc(c.message ?? '')}</li>`,
  )
  return `<section>\n<h2>Failures and warnings</h2>\n<ul>\n${items.join('\n')}\n</ul>\n</section>`
}

function unverified(report: ConformanceReport): string {
  const { notVerified, partial } = report.coverage
  if (!notVerified.length && !partial.length) return '<p>Every behaviour is verified on every binding it applies to.</p>'
  const items = (list: typeof notVerified) =>
    list.map((u) => `<li id="${cellAnchor(u.id, u.binding)}"><code>${esc(u.id)}@${esc(u.binding)}</code> (${esc(u.level)}): ${esc(u.reason)}</li>`).join('\n')
  return [
    ...(notVerified.length
      ? [
          `<section>\n<h2>Not verified (${notVerified.length} cells, ${report.summary.unverifiedMust} MUST)</h2>\n<ul>\n${items(notVerified)}\n</ul>\n</section>`,
        ]
      : []),
    ...(partial.length
      ? [
          `<section>\n<h2>Verified by only some of their checks (${partial.length} cells, ${report.summary.partialMust} MUST)</h2>\n<ul>\n${items(partial)}\n</ul>\n</section>`,
        ]
      : []),
  ].join('\n')
}

import type { CheckResult } from '../engine/result.ts'
import type { ConformanceReport } from './conformance.ts'

type Row = ConformanceReport['checks'][number]

/**
 * JUnit XML for CI, valid against junit-10.xsd: one testsuite per check, holding its one testcase. The schema allows
 * `<properties>` only on a testsuite, so this is where each check's behaviour IDs (one `behaviour` property each),
 * binding, level, spec file and the run's target and seed go. Testcases keep classname `<api>.<operation>`, so CI
 * servers that group by class still group by API and operation.
 */
export function renderJUnit(report: ConformanceReport, checks: CheckResult[]): string {
  const full = new Map(checks.map((c) => [c.id, c]))
  const totals = count(report.checks)
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: `${report.tool.name} ${report.target}`, tests: totals.tests, failures: totals.failures, errors: 0, time: seconds(report.durationMs) })}>`,
    ...report.checks.map((row) => testsuite(row, full.get(row.id), report)),
    '</testsuites>',
    '',
  ].join('\n')
}

function count(rows: Row[]) {
  return {
    tests: rows.length,
    failures: rows.filter((c) => c.status === 'failed').length,
    skipped: rows.filter((c) => c.status === 'skipped').length,
  }
}

function testsuite(row: Row, check: CheckResult | undefined, report: ConformanceReport): string {
  const t = count([row])
  const properties: Array<[string, string]> = [...caseFacts(row, check), ['target', report.target], ['seed', String(report.seed)]]
  return [
    `  <testsuite${attrs({ name: row.id, tests: t.tests, failures: t.failures, errors: 0, skipped: t.skipped, time: seconds(row.durationMs), timestamp: report.startedAt })}>`,
    '    <properties>',
    ...properties.map(([name, value]) => `      <property${attrs({ name, value })}/>`),
    '    </properties>',
    testcase(row, check),
    '  </testsuite>',
  ].join('\n')
}

function testcase(row: Row, check: CheckResult | undefined): string {
  const body: string[] = []
  const message = row.message ?? ''
  if (row.status === 'failed') {
    body.push(`      <failure${attrs({ message, type: row.category ?? 'behaviour' })}>${text(failureDetail(row, check))}</failure>`)
  }
  if (row.status === 'skipped') body.push(`      <skipped${attrs({ message })}/>`)
  if (row.status === 'warned') body.push(`      <system-out>${text(`warning: ${message}`)}</system-out>`)
  const open = `    <testcase${attrs({ name: row.id, classname: `${row.api}.${row.operation}`, time: seconds(row.durationMs) })}`
  return body.length ? [`${open}>`, ...body, '    </testcase>'].join('\n') : `${open}/>`
}

/** What a check is about: the behaviours it covers (one entry each), binding, level, spec file and line. */
function caseFacts(row: Row, check: CheckResult | undefined): Array<[string, string]> {
  return [
    ...row.covers.map((id): [string, string] => ['behaviour', id]),
    ['binding', row.binding],
    ['level', row.level],
    ['spec', row.spec],
    ...(check ? [['line', String(check.line)] as [string, string]] : []),
  ]
}

function failureDetail(row: Row, check: CheckResult | undefined): string {
  if (!check?.failures.length) return row.message ?? ''
  return check.failures.map((f) => `[${f.category}]${f.behaviours.length ? ` (${f.behaviours.join(', ')})` : ''} ${f.message}`).join('\n')
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3)
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${attr(String(v))}"`)
    .join('')
}

// XML 1.0 cannot carry these even as character references, so they become U+FFFD.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

function text(s: string): string {
  return s.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Attribute values keep their line breaks and tabs (a parser would normalise them to spaces otherwise). */
function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')
}

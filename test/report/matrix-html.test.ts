import { describe, expect, test } from 'vitest'
import { CELL_LOOK, renderMatrixHtml } from '../../src/report/matrix-html.ts'
import { check, sampleChecks, sampleReport } from './builders.ts'

/** The cells of one behaviour row: binding column → [class, title, text]. */
function rowCells(html: string, id: string): string[][] {
  const row = html.match(new RegExp(`<tr><th scope="row">${id}</th>.*?</tr>`))?.[0] ?? ''
  return [...row.matchAll(/<td class="cell (s-[a-z]+)" title="([^"]*)">([^<]*)<\/td>/g)].map((m) => [m[1]!, m[2]!, m[3]!])
}

describe('renderMatrixHtml', () => {
  const checks = sampleChecks()
  const report = sampleReport(checks)
  const html = renderMatrixHtml(report)

  test('every behaviour row and every used binding column, grouped by API, bindings in BINDING_NAMES order', () => {
    for (const r of report.behaviours) expect(html).toContain(`<tr><th scope="row">${r.id}</th><td>${r.level}</td>`)
    const headers = [...html.matchAll(/<h2>([^<]*)<\/h2>\n<table>\n<thead><tr>(.*?)<\/tr><\/thead>/g)].map((m) => [m[1], [...m[2]!.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((h) => h[1]).slice(3)])
    expect(headers).toEqual([
      ['API inforouter', ['http-get', 'soap11', 'soap12']],
      ['API ecgrid-rest', ['rest-json']],
      ['Every API (cross-cutting behaviours)', ['soap11', 'rest-json']],
    ])
  })

  test('cells carry the status class and text; not applicable where the behaviour has no such binding', () => {
    expect(rowCells(html, 'IE-2').map(([cls, , t]) => [cls, t])).toEqual([
      ['s-hole', '○ not covered'],
      ['s-passed', '✓ passed'],
      ['s-failed', '✗ failed'],
    ])
    expect(rowCells(html, 'IE-9').map(([cls]) => cls)).toEqual(['s-na', 's-skipped', 's-na'])
    expect(rowCells(html, 'IE-3').map(([cls]) => cls)).toEqual(['s-warned', 's-hole', 's-failed'])
  })

  test('the failure message is the hover text, escaped', () => {
    const [, failedTitle] = rowCells(html, 'IE-2')[2]!
    expect(failedTitle).toBe('inforouter.update-user-email.bad@soap12: UpdateUserEmail over soap12: expected &lt;response success=&quot;true&quot;&gt; but got success=&quot;false&quot; &amp; error=&quot;x&quot;')
    expect(html).not.toContain('<response success')
  })

  test('everything from the input is escaped: target, titles, messages, ids', () => {
    const c = check({ id: 'x<script>@soap11', status: 'failed', category: 'behaviour', message: '</td><img src=x onerror=alert(1)>', failures: [{ category: 'behaviour', behaviours: ['IE-1'], message: '</td><img src=x onerror=alert(1)>' }] })
    const page = renderMatrixHtml(sampleReport([c], { target: '<b>prod</b>', deviations: ['<i>d</i>'] }))
    expect(page).not.toMatch(/<(script|img|b|i)[\s>]/)
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(page).toContain('Conformance matrix: &lt;b&gt;prod&lt;/b&gt;')
    expect(page).toContain('<dt>Deviations</dt><dd>&lt;i&gt;d&lt;/i&gt;</dd>')
    expect(page).toContain('Success answers &lt;response success=&quot;true&quot;/&gt;')
  })

  test('self-contained: no network or file resource of any kind', () => {
    const page = renderMatrixHtml(sampleReport(sampleChecks(), { target: 'https://api.example.test' }))
    expect(page).not.toMatch(/\b(src|href|action|srcset|poster|data)\s*=/i)
    expect(page).not.toMatch(/@import|url\(|<link|<script|<iframe|<img|<object|<embed/i)
    expect(page).not.toMatch(/=\s*["']?\s*(https?:)?\/\//i)
    expect(page).toContain('<dd>https://api.example.test</dd>')
  })

  test('a colour per status, and the legend names each with its class', () => {
    const colours = new Set<string>()
    for (const [status, look] of Object.entries(CELL_LOOK)) {
      expect(html).toContain(`.${look.cls}{background:${look.background};color:${look.color}}`)
      expect(html).toContain(`<li class="${look.cls}">${look.mark} ${status}</li>`)
      colours.add(look.background)
    }
    expect(colours.size).toBe(Object.keys(CELL_LOOK).length)
  })

  test('header figures: target, seed, date, duration, checks, verdict, coverage, holes', () => {
    const dd = (dt: string) => html.match(new RegExp(`<dt>${dt}</dt><dd>([^<]*)</dd>`))?.[1]
    expect(dd('Target')).toBe('reference')
    expect(dd('Seed')).toBe('42')
    expect(dd('Started')).toBe('2026-11-22T08:35:21.989Z')
    expect(dd('Duration')).toBe('2.2 s')
    expect(dd('Checks')).toBe('5: 1 passed, 2 failed, 1 warned, 1 skipped')
    expect(dd('Verdict')).toBe('NOT conformant')
    expect(dd('Coverage')).toBe(`${report.coverage.covered}/${report.coverage.behaviours} behaviour × binding cells covered`)
    expect(dd('Holes')).toBe(String(report.coverage.holes.length))
    expect(dd('Deviations')).toBeUndefined()
    expect(html).toContain('<span class="verdict no">NOT conformant</span>')
  })
})

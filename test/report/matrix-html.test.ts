import { describe, expect, test } from 'vitest'
import { CELL_LOOK, renderMatrixHtml } from '../../src/report/matrix-html.ts'
import { check, sampleChecks, sampleReport } from './builders.ts'

/** The cells of one behaviour row: binding column → [class, the why shown in the cell, text, link]. */
function rowCells(html: string, id: string): string[][] {
  const row = html.match(new RegExp(`<tr><th scope="row">${id}</th>.*?</tr>`))?.[0] ?? ''
  return [...row.matchAll(/<td class="cell (s-[a-z]+)">(?:<a href="([^"]*)">)?([^<]*)(?:<\/a><small>([^<]*)<\/small>)?<\/td>/g)].map((m) => [
    m[1]!,
    m[4] ?? '',
    m[3]!,
    m[2] ?? '',
  ])
}

describe('renderMatrixHtml', () => {
  const checks = sampleChecks()
  const report = sampleReport(checks)
  const html = renderMatrixHtml(report)

  test('every behaviour row and every used binding column, grouped by API, bindings in BINDING_NAMES order', () => {
    for (const r of report.behaviours) expect(html).toContain(`<tr><th scope="row">${r.id}</th><td>${r.level}</td>`)
    const headers = [...html.matchAll(/<h2>([^<]*)<\/h2>\n<table>\n<thead><tr>(.*?)<\/tr><\/thead>/g)].map((m) => [
      m[1],
      [...m[2]!.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((h) => h[1]).slice(3),
    ])
    expect(headers).toEqual([
      ['API inforouter', ['http-get', 'soap11', 'soap12']],
      ['API ecgrid-rest', ['rest-json']],
      ['Every API (cross-cutting behaviours)', ['soap11', 'rest-json']],
    ])
  })

  test('cells carry the status class and text; not applicable where the behaviour has no such binding', () => {
    expect(rowCells(html, 'IE-2').map(([cls, , t]) => [cls, t])).toEqual([
      ['s-unverified', '○ not verified'],
      ['s-passed', '✓ passed'],
      ['s-failed', '✗ failed'],
    ])
    // A skipped check verifies nothing: its cell is not verified, with the check's reason.
    expect(rowCells(html, 'IE-9').map(([cls]) => cls)).toEqual(['s-na', 's-unverified', 's-na'])
    expect(rowCells(html, 'IE-3').map(([cls]) => cls)).toEqual(['s-warned', 's-unverified', 's-failed'])
  })

  test('a failed cell shows the start of its failure, escaped, without hovering, and links to the full text', () => {
    const [, why, , link] = rowCells(html, 'IE-2')[2]!
    expect(why).toBe(
      'UpdateUserEmail over soap12: expected &lt;response success=&quot;true&quot;&gt; but got success=&quot;false&quot; &amp; error=&quot;x&quot;',
    )
    expect(link).toBe('#check-inforouter_update-user-email_bad_soap12')
    expect(html).toContain('<li id="check-inforouter_update-user-email_bad_soap12">')
    expect(html).not.toContain('<response success')
  })

  test('a not verified cell shows why, and links to the list of unverified cells', () => {
    const [cls, why, text, link] = rowCells(html, 'IE-2')[0]!
    expect([cls, text]).toEqual(['s-unverified', '○ not verified'])
    expect(why).toBe('no check of this behaviour ran on this binding')
    expect(html).toContain(`<li id="${link!.slice(1)}"><code>IE-2@http-get</code> (MUST): no check of this behaviour ran on this binding</li>`)
  })

  test('everything from the input is escaped: target, titles, messages, ids', () => {
    const c = check({
      id: 'x<script>@soap11',
      status: 'failed',
      category: 'behaviour',
      message: '</td><img src=x onerror=alert(1)>',
      failures: [{ category: 'behaviour', behaviours: ['IE-1'], message: '</td><img src=x onerror=alert(1)>' }],
    })
    const page = renderMatrixHtml(sampleReport([c], { target: '<b>prod</b>', deviations: ['<i>d</i>'] }))
    expect(page).not.toMatch(/<(script|img|b|i)[\s>]/)
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(page).toContain('Conformance matrix: &lt;b&gt;prod&lt;/b&gt;')
    expect(page).toContain('<dt>Deviations</dt><dd>&lt;i&gt;d&lt;/i&gt;</dd>')
    expect(page).toContain('Success answers &lt;response success=&quot;true&quot;/&gt;')
  })

  test('self-contained: no network or file resource of any kind', () => {
    const page = renderMatrixHtml(sampleReport(sampleChecks(), { target: 'https://api.example.test' }))
    expect(page).not.toMatch(/\b(src|action|srcset|poster|data)\s*=/i)
    // Links only within the page (a cell to its failure text).
    expect(page).not.toMatch(/\bhref\s*=\s*["']?[^"'#]/i)
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

  test('header figures: target, seed, date, duration, checks, verdict, verified and unverified cells', () => {
    const dd = (dt: string) => html.match(new RegExp(`<dt>${dt}</dt><dd>([^<]*)</dd>`))?.[1]
    expect(dd('Target')).toBe('reference')
    expect(dd('Seed')).toBe('42')
    expect(dd('Started')).toBe('2026-11-22T08:35:21.989Z')
    expect(dd('Duration')).toBe('2.2 s')
    expect(dd('Checks')).toBe('5: 1 passed, 2 failed, 1 warned, 1 not run')
    expect(dd('Verdict')).toBe('NOT conformant')
    expect(dd('Verified')).toBe(`${report.coverage.verified}/${report.coverage.cells} behaviour × binding cells`)
    expect(dd('Not verified')).toBe(`${report.coverage.notVerified.length} (${report.summary.unverifiedMust} MUST)`)
    expect(dd('Deviations')).toBeUndefined()
    expect(html).toContain('<span class="verdict no">NOT conformant</span>')
  })
})

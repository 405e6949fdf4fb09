import { describe, expect, test } from 'vitest'
import { sampleChecks, sampleReport } from './builders.ts'

describe('a run that asked for some behaviours or bindings', () => {
  const full = sampleReport()
  const covered = [...new Set(sampleChecks().flatMap((c) => c.covers))].filter((id) => !id.startsWith('X-'))

  test("without a selection, every behaviour of the run's APIs is listed, with unverified cells on any binding", () => {
    expect(full.behaviours.filter((b) => !b.id.startsWith('X-')).length).toBeGreaterThan(1)
    expect(full.coverage.notVerified.some((h) => h.binding !== 'soap11')).toBe(true)
    expect(full.selected).toBeUndefined()
  })

  test('--covers: only the asked behaviours (and the cross-cutting X-* rows) are listed; the others are no cells of the run', () => {
    const asked = [covered[covered.length - 1]!]
    const r = sampleReport(sampleChecks(), { selected: { covers: asked } })
    expect(r.selected).toEqual({ covers: asked })
    expect(r.behaviours.filter((b) => !b.id.startsWith('X-')).map((b) => b.id)).toEqual(asked)
    expect(r.coverage.notVerified.every((h) => asked.includes(h.id) || h.id.startsWith('X-'))).toBe(true)
    expect(r.checks).toEqual(full.checks)
  })

  test('--binding: cells of other bindings are left out', () => {
    const r = sampleReport(sampleChecks(), { selected: { bindings: ['soap11'] } })
    for (const row of r.behaviours) expect(Object.keys(row.bindings).every((b) => b === 'soap11')).toBe(true)
    expect(r.coverage.notVerified.every((h) => h.binding === 'soap11')).toBe(true)
    expect(r.coverage.cells).toBeLessThan(full.coverage.cells)
  })
})

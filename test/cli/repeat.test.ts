import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import type { Har } from '../../src/report/har.ts'
import { conform } from '../helpers/cli.ts'

const read = <T>(d: string, f: string) => JSON.parse(readFileSync(join(d, f), 'utf8')) as T

describe('conform run --repeat N', () => {
  test('each check runs N times with its own data, is reported once, and keeps exchanges of run 1 and of runs that failed', async () => {
    const once = mkdtempSync(join(tmpdir(), 'conform-rep1-'))
    const thrice = mkdtempSync(join(tmpdir(), 'conform-rep3-'))
    const args = ['run', '--api', 'ecgrid-rest', '--seed', '21', '--deviate', 'er-answer-stale']
    const [r1, r3] = await Promise.all([conform([...args, '--out', once]), conform([...args, '--repeat', '3', '--out', thrice])])
    expect(r1.code).toBe(1)
    expect(r3.code).toBe(1)
    const a = read<ConformanceReport>(once, 'conformance.json')
    const b = read<ConformanceReport>(thrice, 'conformance.json')
    expect(a.repeat).toBeUndefined()
    expect(b.repeat).toBe(3)
    expect(b.checks.map((c) => c.id)).toEqual(a.checks.map((c) => c.id))
    expect(b.summary.checks).toBe(a.summary.checks)
    for (const c of b.checks) {
      const single = a.checks.find((x) => x.id === c.id)!
      expect(c.status, c.id).toBe(single.status)
      expect(c.requests, c.id).toBe(3 * single.requests)
      expect(c.repeat?.runs, c.id).toBe(3)
      expect(c.repeat?.[c.status === 'failed' ? 'failed' : 'passed'], c.id).toBe(c.status === 'skipped' ? 0 : 3)
    }
    const failing = b.checks.find((c) => c.status === 'failed')!
    expect(failing.repeat?.notPassed).toEqual([1, 2, 3])
    expect(failing.message).toMatch(/^#1: /m)
    expect(failing.message).toMatch(/^#3: /m)

    // Passed runs beyond the first keep no exchanges: the HAR of a passed check is as big as with one run.
    const pages = (d: string) => {
      const har = read<Har>(d, 'exchanges.har')
      const n = new Map<string, string[]>()
      for (const e of har.log.entries) n.set(e.pageref, [...(n.get(e.pageref) ?? []), `${e.request.method} ${e.request.url} ${e.request.postData?.text ?? ''}`])
      return n
    }
    const [p1, p3] = [pages(once), pages(thrice)]
    const passed = b.checks.find((c) => c.status === 'passed')!
    expect(p3.get(passed.id)).toHaveLength(p1.get(passed.id)!.length)
    // Failed runs keep theirs, and each run sent its own seeded data.
    const sent = p3.get(failing.id)!
    expect(sent).toHaveLength(3 * p1.get(failing.id)!.length)
    // The writes of one run (a starting value set first, then the update under test), once per run, each run its own.
    const perRun = p1.get(failing.id)!.filter((s) => s.startsWith('PUT')).length
    const bodies = sent.filter((s) => s.startsWith('PUT'))
    expect(perRun).toBeGreaterThan(0)
    expect(bodies).toHaveLength(3 * perRun)
    expect(new Set(bodies).size).toBe(3 * perRun)
    expect(readdirSync(join(thrice, 'allure-results')).filter((f) => f.endsWith('-result.json'))).toHaveLength(b.summary.checks)
  })

  test('refuses a repeat that is not a whole number of at least 1', async () => {
    const r = await conform(['run', '--repeat', '0'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--repeat expects a whole number of at least 1/)
  })
})

import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import type { MigrationReport } from '../../src/compare/migration.ts'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import { listDeviations } from '../../reference/index.ts'
import { conform } from '../helpers/cli.ts'

async function compare(args: string[]) {
  const out = mkdtempSync(join(tmpdir(), 'conform-compare-'))
  const result = await conform(['compare', '--baseline', 'reference', '--candidate', 'reference', '--seed', '11', '--out', out, ...args])
  const read = <T>(file: string) => JSON.parse(readFileSync(join(out, file), 'utf8')) as T
  return { ...result, out, read }
}

describe.concurrent('conform compare', { timeout: 300_000 }, () => {
  test('the reference against itself: no difference once noise is learned, exit 0', async () => {
    const r = await compare(['--api', 'ecgrid-rest,logicmelon'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const report = r.read<MigrationReport>('migration.json')
    expect(report.summary).toMatchObject({ checks: 58, same: 58, blockers: 0, wsdlBreaking: 0, wsdlNotices: 0 })
    expect(report.verdict).toBe('clear')
    // The WSDLs were really fetched and compared (an unreachable WSDL would also show no change).
    expect(report.wsdl.map((w) => [w.api, w.error])).toEqual([['logicmelon', undefined]])
    // The noise is real: generated identifiers and timestamps do differ between runs.
    expect(report.noise.keys).toBeGreaterThan(0)
    expect(report.noise.identifiers).toEqual(expect.arrayContaining(['field userid', 'field organisationid']))
    expect(r.stdout).toMatch(/verdict: clear/)
    expect(readFileSync(join(r.out, 'migration.md'), 'utf8')).toMatch(/— clear/)
    expect(readFileSync(join(r.out, 'migration.html'), 'utf8')).toMatch(/<span class="verdict clear">clear<\/span>/)
  })

  // One deviation per API: the checks that fail under it are exactly the regressions, and only they.
  test.for([
    ['er-null-clears', ['--api', 'ecgrid-rest']],
    ['lm-moves-user', ['--api', 'logicmelon']],
    ['ie-noop-fails', ['--api', 'inforouter', '--binding', 'soap11,http-get']],
  ] as const)('the reference under %s: its checks are regressions, exit 1', async ([deviation, filter]) => {
    const r = await compare([...filter, '--deviate', deviation])
    expect(r.code, r.stderr).toBe(1)
    const report = r.read<MigrationReport>('migration.json')
    const candidate = r.read<ConformanceReport>('compare/candidate/conformance.json')
    const failing = candidate.checks
      .filter((c) => c.status === 'failed')
      .map((c) => c.id)
      .sort()
    const regressions = report.checks
      .filter((c) => c.verdict === 'regression')
      .map((c) => c.id)
      .sort()
    expect(failing.length).toBeGreaterThan(0)
    expect(regressions).toEqual(failing)
    expect(report.checks.filter((c) => c.verdict !== 'regression').every((c) => c.verdict === 'same')).toBe(true)
    const declared = listDeviations().find((d) => d.name === deviation)!.breaks
    expect(report.checks.filter((c) => c.verdict === 'regression').flatMap((c) => candidate.checks.find((x) => x.id === c.id)!.failedBehaviours)).toEqual(
      expect.arrayContaining(declared),
    )
    expect(report).toMatchObject({ verdict: 'blocked', candidate: { deviations: [deviation] } })
    expect(r.stdout).toMatch(new RegExp(`BLOCKER ${regressions[0]!.replace(/[.@+]/g, '\\$&')}`))
    // The candidate's Allure view marks the regressions.
    const dir = join(r.out, 'compare/candidate/allure-results')
    const results = readdirSync(dir)
      .filter((f) => f.endsWith('-result.json'))
      .map(
        (f) =>
          JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
            name: string
            labels: Array<{ name: string; value: string }>
            statusDetails?: { message?: string }
          },
      )
    const marked = results.filter((x) => x.labels.some((l) => l.name === 'tag' && l.value === 'regression'))
    expect(marked.map((x) => x.name).sort()).toEqual(regressions)
    for (const m of marked) {
      expect(m.statusDetails?.message).toMatch(/^\[regression\] passed on reference\n\[behaviour\]/)
      expect(m.labels).toContainEqual({ name: 'severity', value: 'blocker' })
    }
  })

  test('bad usage exits 2 before running anything', async () => {
    const r = await compare(['--candidate', 'nowhere'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/unknown target "nowhere"/)
    const missing = await conform(['compare', '--baseline', 'reference'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/--baseline and --candidate are both required/)
  })
})

import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { beforeAll, describe, expect, test } from 'vitest'
import { PROJECT_ROOT } from '../../src/paths.ts'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import type { Har } from '../../src/report/har.ts'
import { conform, type CliResult } from '../helpers/cli.ts'

/**
 * A run split over CI machines and merged must say exactly what one run says. With a deviation on, so that the
 * merged verdicts include failures and the behaviour matrix has failed cells to re-derive.
 */
const root = mkdtempSync(join(tmpdir(), 'conform-shards-'))
const dir = (name: string) => join(root, name)
const common = ['--seed', '77', '--deviate', 'ie-clears-mobile']
const read = <T>(d: string, f: string) => JSON.parse(readFileSync(join(d, f), 'utf8')) as T
let full: CliResult
let _shards: CliResult[]
let merged: CliResult

/** What a check's verdict is made of (durations and step timings aside). */
function verdict(c: ConformanceReport['checks'][number]) {
  return {
    id: c.id,
    status: c.status,
    category: c.category,
    message: c.message,
    failedBehaviours: c.failedBehaviours,
    failures: c.failures,
    requests: c.requests,
    line: c.line,
  }
}

beforeAll(async () => {
  ;[full, ..._shards] = await Promise.all([
    conform(['run', ...common, '--out', dir('full')]),
    conform(['run', ...common, '--shard', '1/2', '--out', dir('s1')]),
    conform(['run', ...common, '--shard', '2/2', '--out', dir('s2')]),
  ])
  merged = await conform(['merge', dir('s1'), dir('s2'), '--out', dir('merged')])
}, 240_000)

describe('conform run --shard i/n + conform merge', () => {
  test('each shard runs part of the plan; together exactly the plan, each check once', () => {
    expect(full.code, full.stderr).toBe(1)
    const [a, b] = [read<ConformanceReport>(dir('s1'), 'conformance.json'), read<ConformanceReport>(dir('s2'), 'conformance.json')]
    const all = read<ConformanceReport>(dir('full'), 'conformance.json')
    expect(a.shard).toEqual({ index: 1, count: 2 })
    expect(b.shard).toEqual({ index: 2, count: 2 })
    expect(Math.abs(a.checks.length - b.checks.length)).toBeLessThanOrEqual(1)
    expect([...a.checks, ...b.checks].map((c) => c.id).sort()).toEqual(all.checks.map((c) => c.id).sort())
  })

  test('merged: the same checks and verdicts, summary, behaviour matrix and coverage as the unsharded run', () => {
    expect(merged.code, merged.stderr).toBe(full.code)
    const m = read<ConformanceReport>(dir('merged'), 'conformance.json')
    const f = read<ConformanceReport>(dir('full'), 'conformance.json')
    expect(m.checks.map(verdict)).toEqual(f.checks.map(verdict))
    expect(m.summary).toEqual(f.summary)
    expect(m.summary.failed).toBeGreaterThan(0)
    expect(m.behaviours).toEqual(f.behaviours)
    expect(m.coverage).toEqual(f.coverage)
    expect(m.shard).toBeUndefined()
    expect(
      readFileSync(join(dir('merged'), 'matrix.md'), 'utf8')
        .split('\n')
        .slice(0, 40),
    ).toEqual(
      readFileSync(join(dir('full'), 'matrix.md'), 'utf8')
        .split('\n')
        .slice(0, 40),
    )
  })

  test("merged JUnit, HAR and Allure results hold every shard's", () => {
    const suites = (d: string) =>
      [...readFileSync(join(d, 'junit.xml'), 'utf8').matchAll(/<testsuite name="([^"]+)"[^>]* failures="(\d)"/g)].map((x) => `${x[1]} ${x[2]}`).sort()
    expect(suites(dir('merged'))).toEqual(suites(dir('full')))
    const har = read<Har>(dir('merged'), 'exchanges.har')
    const parts = [read<Har>(dir('s1'), 'exchanges.har'), read<Har>(dir('s2'), 'exchanges.har')]
    expect(har.log.entries).toHaveLength(parts[0]!.log.entries.length + parts[1]!.log.entries.length)
    expect(new Set(har.log.pages.map((p) => p.id)).size).toBe(read<ConformanceReport>(dir('full'), 'conformance.json').summary.checks)
    const times = har.log.entries.map((e) => Date.parse(e.startedDateTime))
    expect(times).toEqual([...times].sort((x, y) => x - y))
    const results = (d: string) => readdirSync(join(d, 'allure-results')).filter((n) => n.endsWith('-result.json'))
    expect(results(dir('merged')).sort()).toEqual([...results(dir('s1')), ...results(dir('s2'))].sort())
    expect(results(dir('merged'))).toHaveLength(results(dir('full')).length)
  })

  test('refuses a partial set of shards, and shards of different runs', async () => {
    const partial = await conform(['merge', dir('s1'), '--out', dir('partial')])
    expect(partial.code).toBe(2)
    expect(partial.stderr).toMatch(/shard 2\/2 missing/)
    const mixed = await conform(['merge', dir('s1'), dir('full'), '--out', dir('mixed')])
    expect(mixed.code).toBe(2)
    expect(mixed.stderr).toMatch(/some reports are shards and some are not/)
    const twice = await conform(['merge', dir('s1'), dir('s1'), '--out', dir('twice')])
    expect(twice.code).toBe(2)
    expect(twice.stderr).toMatch(/both shard 1/)
  })
})

describe('the GitHub Actions example (docs/ci/github-actions.yml)', () => {
  interface Step {
    run?: string
    uses?: string
  }
  const workflow = parse(readFileSync(join(PROJECT_ROOT, 'docs/ci/github-actions.yml'), 'utf8')) as {
    jobs: Record<string, { strategy?: { matrix: { shard: number[] } }; steps: Step[]; needs?: string }>
  }

  test('runs four shards with one seed, and merges what they uploaded', () => {
    const shard = workflow.jobs.shard!
    expect(shard.strategy?.matrix.shard).toEqual([1, 2, 3, 4])
    const run = shard.steps.map((s) => s.run ?? '').join('\n')
    expect(run).toMatch(/conform -- run .*--shard \$\{\{ matrix.shard \}\}\/4 --seed \$\{\{ github.run_id \}\} --out shards\/\$\{\{ matrix.shard \}\}/)
    const report = workflow.jobs.report!
    expect(report.needs).toBe('shard')
    const steps = report.steps.map((s) => s.run ?? s.uses ?? '').join('\n')
    expect(steps).toMatch(/conform -- merge shards\/\* --out reports/)
    expect(steps).toMatch(/action-junit-report/)
    expect(steps).toMatch(/npm run report/)
  })
})

import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import { conform, type CliResult } from '../helpers/cli.ts'
import { Staging } from '../helpers/staging.ts'

/**
 * A staging-like target without allowWrites, on every API: the preflight logs in and reads back every fixture
 * account, read-only checks run, every write check is not run, its cells are "not verified" with the reason in every
 * output (conformance.json, the console, JUnit, Allure), and the run exits 4 (incomplete), never 0. The target
 * receives no write at all (not even a restore of unchanged values), and no journal is kept.
 */

const REASON = 'the target does not allow writes (allowWrites is not true)'
let s: Staging
let out: string
let r: CliResult
let before: ReturnType<Staging['users']>

beforeAll(async () => {
  s = await new Staging().start()
  before = s.users()
  out = join(s.dir, 'reports')
  r = await conform(['run', '--target', 'staging', '--config', s.config({ allowWrites: false }), '--out', out, '--seed', '9'], s.env)
})
afterAll(() => s.close())

describe('write guard: a target without allowWrites: true', () => {
  test('runs the read-only checks and skips every write check, with the reason, in conformance.json', () => {
    expect(r.code, r.stderr + r.stdout.slice(-2000)).toBe(4)
    const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport
    const skipped = report.checks.filter((c) => c.status === 'skipped')
    expect(report.summary.passed).toBeGreaterThanOrEqual(4)
    expect(skipped.length).toBeGreaterThan(100)
    expect(new Set(report.checks.map((c) => c.api))).toEqual(new Set(['inforouter', 'ecgridos', 'ecgrid-rest', 'logicmelon']))
    // Skipped for that reason, or for needing provisioned starting values; never for nothing.
    expect(skipped.filter((c) => c.message === REASON).length).toBeGreaterThan(100)
    expect(skipped.every((c) => c.message === REASON || /only a provisioning target/.test(c.message ?? ''))).toBe(true)
    expect(report.checks.filter((c) => c.status !== 'skipped').every((c) => c.requests > 0)).toBe(true)
  })

  test('incomplete, not conformant: the write cells are not verified, with the reason; exit 4 says so', () => {
    const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport
    expect(report.summary.verdict).toBe('incomplete')
    expect(report.summary.conformant).toBe(false)
    expect(report.summary.unverifiedMust).toBeGreaterThan(20)
    expect(report.coverage.notVerified.filter((u) => u.reason === REASON).length).toBeGreaterThan(20)
    expect(r.stdout).toContain('verdict: INCOMPLETE')
    expect(r.stdout).not.toContain('every behaviour is verified')
    expect(r.stderr).toMatch(/exit 4: incomplete: \d+ MUST cell\(s\) not verified/)
  })

  test('the preflight logged in and read back every fixture account the run uses, writes or not', () => {
    expect(r.stdout).toMatch(/preflight: \d+ fixture account\(s\) logged in and read back/)
    // No check takes an account when writes are not allowed: each role's first account is checked, the others untouched.
    const ir = s.accounts.inforouter!
    const loggedIn = s.seen.filter((x) => x.operation === 'AuthenticateUser').map((x) => x.sent)
    for (const first of [ir.sysadmin![0]!, ir.member![0]!]) expect(loggedIn.some((sent) => sent.includes(first.userName!))).toBe(true)
    expect(loggedIn.some((sent) => sent.includes(ir.member![1]!.userName!))).toBe(false)
    expect(r.stdout).toMatch(/\d+ more not needed at concurrency \d+, left untouched/)
  })

  test('sends no write at all, changes no user, keeps no journal', () => {
    expect(s.seen.length).toBeGreaterThan(10)
    expect(s.writes).toEqual([])
    expect(s.users()).toEqual(before)
    expect(existsSync(join(out, 'journal.jsonl'))).toBe(false)
    expect(existsSync(join(out, 'journal.done.jsonl'))).toBe(false)
  })

  test('the console shows the reason on each skipped check and in the summary', () => {
    const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport
    const n = report.checks.filter((c) => c.message === REASON).length
    expect(r.stdout).toContain(`  ${n} not run: ${REASON}`)
    expect(r.stdout.split('\n').filter((l) => / skip .*allowWrites is not true/.test(l)).length).toBe(n)
  })

  test('JUnit carries the reason on each skipped testcase', () => {
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8')
    expect(
      JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')).checks.filter((c: { message: string }) => c.message === REASON).length,
    ).toBeGreaterThan(100)
    const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport
    expect(junit.split(`<skipped message="${REASON}"/>`).length - 1).toBe(report.checks.filter((c) => c.message === REASON).length)
  })

  test('Allure shows skipped checks as skipped, with the reason as a parameter and in the description', () => {
    const dir = join(out, 'allure-results')
    const results = readdirSync(dir)
      .filter((f) => f.endsWith('-result.json'))
      .map(
        (f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { status: string; description?: string; parameters: Array<{ name: string; value: string }> },
      )
    const skipped = results.filter((t) => t.status === 'skipped')
    expect(skipped.length).toBeGreaterThan(100)
    const guarded = skipped.filter((t) => t.parameters.some((p) => p.name === 'skipped because' && p.value === REASON))
    expect(guarded.length).toBeGreaterThan(100)
    expect(guarded.every((t) => t.description?.includes(`**Skipped:** ${REASON}`))).toBe(true)
  })
})

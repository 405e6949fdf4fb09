import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { MigrationReport } from '../../src/compare/migration.ts'
import { PROJECT_ROOT } from '../../src/paths.ts'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import { listDeviations } from '../../reference/index.ts'
import { conform } from '../helpers/cli.ts'

/**
 * compare against real targets, as a new user meets it: the embedded reference (users provisioned for each check) as the
 * baseline, and a reference served by `conform serve --write-config` (fixture accounts, a config of its own without a
 * `reference` target, credentials in an env file) as the candidate. Two conformant targets with other users: no
 * difference. The served reference with deviations: exactly the checks those fail are regressions.
 */

const dir = mkdtempSync(join(tmpdir(), 'conform-compare-served-'))
const served: Array<ReturnType<typeof spawn>> = []

/** Starts `conform serve … --write-config FILE --target NAME` and resolves once it printed the command to run. */
function serve(name: string, args: string[] = []): Promise<{ config: string; envFile: string }> {
  const config = join(dir, `${name}.yaml`)
  const child = spawn(
    process.execPath,
    [resolve(PROJECT_ROOT, 'bin/conform.mjs'), 'serve', '--port', '0', '--write-config', config, '--target', name, ...args],
    { cwd: PROJECT_ROOT, env: { ...process.env, CONFORM_RUN_OPTIONS: '' } },
  )
  served.push(child)
  let out = ''
  return new Promise((done, fail) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (/run against it: .*\n/.test(out)) done({ config, envFile: `${config}.env` })
    })
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString()
    })
    child.on('close', (code) => fail(new Error(`serve ended (${code}) before it was ready:\n${out}`)))
  })
}

async function compare(name: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const out = join(dir, `out-${name}`)
  const result = await conform(['compare', '--baseline', 'reference', '--seed', '11', '--out', out, ...args], env)
  const read = <T>(file: string) => JSON.parse(readFileSync(join(out, file), 'utf8')) as T
  return { ...result, out, read }
}

/** A copy of a written config whose one target keeps only `apis` (the others as if the vendor had none of them). */
function onlyApis(config: string, target: string, apis: string[]): string {
  const parsed = JSON.parse(
    readFileSync(config, 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .join('\n'),
  ) as { targets: Record<string, { apis: Record<string, unknown> }> }
  const t = parsed.targets[target]!
  t.apis = Object.fromEntries(Object.entries(t.apis).filter(([a]) => apis.includes(a)))
  const file = join(dir, `${target}-${apis.join('-')}.yaml`)
  writeFileSync(file, JSON.stringify(parsed))
  return file
}

let local: { config: string; envFile: string }
let deviant: { config: string; envFile: string }
let varied: { config: string; envFile: string }
const DEVIATIONS = ['er-null-clears', 'ie-noop-fails']

beforeAll(async () => {
  ;[local, deviant, varied] = await Promise.all([
    serve('local'),
    serve('deviant', ['--deviate', DEVIATIONS.join(',')]),
    serve('varied', ['--vary', 'er-success-error-fields-empty']),
  ])
}, 120_000)

afterAll(() => {
  for (const s of served) s.kill('SIGTERM')
})

describe('compare against a served reference with fixture accounts', { timeout: 400_000 }, () => {
  test('two conformant targets with other users: every check the same, exit 0; the config needs no reference target', async () => {
    expect(readFileSync(local.config, 'utf8')).not.toMatch(/"reference"/)
    const r = await compare('conformant', ['--candidate', 'local', '--config', local.config, '--env-file', local.envFile])
    expect(r.code, r.stdout.slice(-3000) + r.stderr).toBe(0)
    const report = r.read<MigrationReport>('migration.json')
    const candidate = r.read<ConformanceReport>('compare/candidate/conformance.json')
    // The candidate really ran on its fixture accounts, every check of every API.
    expect(candidate.target).toBe('local')
    expect(candidate.summary).toMatchObject({ failed: 0, skipped: 0 })
    expect(report.summary.checks).toBe(candidate.summary.checks)
    expect(report.summary.checks).toBeGreaterThan(250)
    const notSame = report.checks.filter((c) => c.verdict !== 'same').map((c) => `${c.id}: ${c.verdict} ${JSON.stringify(c.differences.slice(0, 3))}`)
    expect(notSame).toEqual([])
    expect(report.summary).toMatchObject({ regression: 0, differs: 0, 'not-compared': 0, wsdlBreaking: 0, wsdlNotices: 0 })
    expect(report.apis.notCompared).toEqual([])
    expect(report.wsdl.every((w) => w.error === undefined)).toBe(true)
    expect(r.stdout).toMatch(/verdict: clear/)

    // Its Allure output stands apart: its own config, report folder and history file, none of them the main run's.
    const command = /Allure .*: (npx allure generate .*)\n/.exec(r.stdout)![1]!
    expect(command).not.toMatch(/\.\/allurerc\.mjs|reports\/allure-history/)
    const rcFile = join(r.out, 'compare', 'allurerc.mjs')
    expect(command).toContain('--config')
    expect(command).toContain(rcFile)
    const rc = ((await import(pathToFileURL(rcFile).href)) as { default: { resultsDir: string; output: string; historyPath: string; categories: unknown[] } })
      .default
    expect(rc).toMatchObject({
      resultsDir: join(r.out, 'compare', 'candidate', 'allure-results'),
      output: join(r.out, 'compare', 'allure-report'),
      historyPath: join(r.out, 'compare', 'allure-history.jsonl'),
    })
    expect(rc.categories.length).toBeGreaterThan(0)
  })

  test('a candidate running deviations: exactly the checks they fail are regressions, every other check the same', async () => {
    const r = await compare('deviant', ['--candidate', 'deviant', '--config', deviant.config, '--env-file', deviant.envFile, '--api', 'ecgrid-rest,inforouter'])
    expect(r.code, r.stdout.slice(-3000) + r.stderr).toBe(1)
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
    expect(
      report.checks
        .filter((c) => c.verdict !== 'regression' && c.verdict !== 'same')
        .map((c) => `${c.id}: ${c.verdict} ${JSON.stringify(c.differences.slice(0, 3))}`),
    ).toEqual([])
    // Both deviations were caught, each through the behaviours it declares.
    const failed = new Set(candidate.checks.flatMap((c) => c.failedBehaviours))
    for (const d of DEVIATIONS) for (const b of listDeviations().find((x) => x.name === d)!.breaks) expect(failed, `${d} breaks ${b}`).toContain(b)
    expect(report.verdict).toBe('blocked')
    for (const id of regressions) expect(r.stdout).toContain(`BLOCKER ${id}`)
  })

  test('a candidate whose answers differ in shape (an allowed variation): the checks pass on both and differ, no blocker', async () => {
    const r = await compare('varied', ['--candidate', 'varied', '--config', varied.config, '--env-file', varied.envFile, '--api', 'ecgrid-rest'])
    expect(r.code, r.stdout.slice(-3000) + r.stderr).toBe(0)
    const report = r.read<MigrationReport>('migration.json')
    const differing = report.checks.filter((c) => c.verdict === 'differs')
    expect(differing.length).toBeGreaterThan(5)
    expect(report.checks.every((c) => c.verdict === 'differs' || c.verdict === 'same')).toBe(true)
    // What differs is the variation (members only the candidate has), and nothing else: no user datum among them.
    const kinds = new Set(differing.flatMap((c) => c.differences.map((d) => `${d.kind} ${d.path}`)))
    expect([...kinds].sort()).toEqual(['added $.errorCode', 'added $.message'])
  })

  test('APIs only one target configures are listed as not compared, never as blockers', async () => {
    const config = onlyApis(local.config, 'local', ['inforouter'])
    const r = await compare('one-api', ['--candidate', 'local', '--config', config, '--env-file', local.envFile, '--binding', 'soap11'])
    expect(r.code, r.stdout.slice(-3000) + r.stderr).toBe(0)
    const report = r.read<MigrationReport>('migration.json')
    expect(report.apis.compared).toEqual(['inforouter'])
    const others = report.apis.notCompared.map((n) => n.api)
    expect(others).toEqual(expect.arrayContaining(['ecgrid-rest', 'ecgridos', 'logicmelon']))
    expect(others).not.toContain('inforouter')
    for (const n of report.apis.notCompared) expect(n.reason).toBe('only the baseline (reference) configures it')
    expect(report.checks.every((c) => c.api === 'inforouter' && c.verdict === 'same')).toBe(true)
    expect(report.summary).toMatchObject({ blockers: 0, wsdlBreaking: 0 })
    expect(report.wsdl.map((w) => w.api)).toEqual(['inforouter'])
    expect(r.stdout).toMatch(/not compared: ecgrid-rest: only the baseline \(reference\) configures it/)
    expect(r.stdout).not.toMatch(/BLOCKER/)
    const md = readFileSync(join(r.out, 'migration.md'), 'utf8')
    const html = readFileSync(join(r.out, 'migration.html'), 'utf8')
    for (const text of [md, html]) {
      expect(text).toMatch(/Not compared/)
      expect(text).toMatch(/logicmelon/)
      expect(text).toMatch(/only the baseline \(reference\) configures it/)
    }
  })

  test('an unreachable candidate or a fixture account that cannot log in: exit 3 naming it, before the baseline runs', async () => {
    const broken = onlyApis(local.config, 'local', ['inforouter'])
    const text = readFileSync(broken, 'utf8')
    const unreachable = join(dir, 'unreachable.yaml')
    // Port 9 (discard) on loopback: nothing listens there.
    writeFileSync(unreachable, text.replace(/"baseUrl":"http:\/\/127\.0\.0\.1:\d+/, '"baseUrl":"http://127.0.0.1:9'))
    const r = await compare('unreachable', ['--candidate', 'local', '--config', unreachable, '--env-file', local.envFile])
    expect(r.code, r.stdout + r.stderr).toBe(3)
    expect(r.stderr).toMatch(/target local: inforouter at http:\/\/127\.0\.0\.1:9\S* could not be reached/)
    expect(r.stdout).not.toMatch(/baseline reference, run 1/)
    expect(existsSync(join(r.out, 'compare', 'baseline-1'))).toBe(false)

    // A wrong password (a variable set in the environment wins over the env file).
    const variable = /^(LOCAL_INFOROUTER_\w+_PASSWORD)=/m.exec(readFileSync(local.envFile, 'utf8'))![1]!
    const locked = await compare('locked', ['--candidate', 'local', '--config', broken, '--env-file', local.envFile], { [variable]: 'not-the-password' })
    expect(locked.code, locked.stdout + locked.stderr).toBe(3)
    expect(locked.stderr).toContain(variable)
    expect(locked.stdout).not.toMatch(/baseline reference, run 1/)
    expect(existsSync(join(locked.out, 'compare', 'baseline-1'))).toBe(false)
    expect(readdirSync(dir).length).toBeGreaterThan(0)
  })
})

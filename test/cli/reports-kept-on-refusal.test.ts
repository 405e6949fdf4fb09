import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { conform } from '../helpers/cli.ts'
import { type Staging, useStaging } from '../helpers/staging.ts'

/**
 * A run that stops before its checks (a base URL that cannot be reached, a fixture account that fails the preflight:
 * exit 3) leaves the previous run's reports in --out as they were: they are cleared only once this run is sure to
 * run. (Found by review: with the base-URL GETs alongside the accounts, the reports were cleared before either answered.)
 */
let s!: Staging
useStaging((started) => {
  s = started
})

function previousReports(name: string): string {
  const out = join(s.dir, `out-${name}`)
  mkdirSync(join(out, 'allure-results'), { recursive: true })
  writeFileSync(join(out, 'conformance.json'), '{"previous":true}')
  writeFileSync(join(out, 'allure-results', 'x-result.json'), '{}')
  return out
}

function configWith(edit: (target: { apis: Record<string, { baseUrl: string; fixtures: Record<string, Array<Record<string, string>>> }> }) => void): string {
  const file = s.config({ allowWrites: true, apis: ['inforouter'] })
  const parsed = JSON.parse(readFileSync(file, 'utf8'))
  edit(parsed.targets.staging)
  writeFileSync(file, JSON.stringify(parsed))
  return file
}

for (const [name, edit, said] of [
  [
    'a base URL that cannot be reached',
    (t: Parameters<Parameters<typeof configWith>[0]>[0]) => {
      t.apis.inforouter!.baseUrl = 'http://127.0.0.1:9'
    },
    /could not be reached/,
  ],
  [
    'a fixture account that fails the preflight',
    (t: Parameters<Parameters<typeof configWith>[0]>[0]) => {
      t.apis.inforouter!.fixtures.member![0]!.password = '${env:NO_SUCH_PASSWORD_SET_HERE}'
    },
    /TARGET_ACCOUNTS|NO_SUCH_PASSWORD_SET_HERE/,
  ],
] as const) {
  test(`${name}: exit 3, and the previous run's reports are still there`, async () => {
    const out = previousReports(name.replace(/\W+/g, '-'))
    // The config first: it may name variables of its own (s.env has them once it is written).
    const config = configWith(edit)
    const env = { ...s.env, NO_SUCH_PASSWORD_SET_HERE: 'wrong-password-for-this-account' }
    const r = await conform(['run', '--target', 'staging', '--config', config, '--out', out, '--api', 'inforouter', '--covers', 'IE-5'], env)
    expect(r.code, r.stdout + r.stderr).toBe(3)
    expect(r.stderr).toMatch(said)
    expect(readFileSync(join(out, 'conformance.json'), 'utf8')).toBe('{"previous":true}')
    expect(existsSync(join(out, 'allure-results', 'x-result.json'))).toBe(true)
  }, 60_000)
}

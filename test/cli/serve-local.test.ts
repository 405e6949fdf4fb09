import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { PROJECT_ROOT } from '../../src/paths.ts'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import { conform } from '../helpers/cli.ts'

/**
 * docs/staging.md "Trying it locally", followed literally: `conform serve --db --write-config`, then the run it prints.
 * The reference, served and seeded with fixture accounts, is a complete external target: every cell verified, exit 0.
 */

const dir = mkdtempSync(join(tmpdir(), 'conform-local-'))
const served: Array<ReturnType<typeof spawn>> = []
afterAll(() => {
  for (const s of served) s.kill('SIGTERM')
})

/** Starts `conform serve` with these args and resolves with its output once it printed the command to run. */
function serve(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [resolve(PROJECT_ROOT, 'bin/conform.mjs'), 'serve', ...args], { cwd: PROJECT_ROOT, env: { ...process.env } })
  served.push(child)
  let out = ''
  return new Promise((done, fail) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      if (/run against it: .*\n/.test(out)) done(out)
    })
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString()
    })
    child.on('close', (code) => fail(new Error(`serve ended (${code}) before it was ready:\n${out}`)))
  })
}

describe('trying it locally: serve --write-config, then run', () => {
  let printed = ''
  const config = join(dir, 'local.yaml')

  test('serve seeds accounts, prints them without secrets, writes the config and an env file only its owner reads', async () => {
    printed = await serve(['--port', '0', '--db', join(dir, 'local.sqlite'), '--write-config', config])
    expect(printed).toMatch(/fixture accounts \(\d+\), their credentials in .*local\.yaml\.env/)
    expect(printed).toMatch(/ecgridos: .*MailboxUser \(other-network\)/)
    const env = readFileSync(`${config}.env`, 'utf8')
    expect(statSync(`${config}.env`).mode & 0o077).toBe(0)
    for (const line of env.trim().split('\n')) {
      const value = line.slice(line.indexOf('=') + 2, -1)
      if (/PASSWORD|API_KEY|CONTROL_KEY/.test(line)) expect(printed).not.toContain(value)
    }
    expect(readFileSync(config, 'utf8')).not.toMatch(/"password": "(?!\$\{env:)/)
  })

  test('the printed run verifies every cell and exits 0; no secret reaches its reports', async () => {
    const command = /run against it: npm run conform -- (.*)\n/.exec(printed)![1]!.split(' ')
    const out = join(dir, 'reports')
    const r = await conform([...command, '--out', out])
    expect(r.code, r.stdout.slice(-2500) + r.stderr).toBe(0)
    const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport
    expect(report.summary.skipped).toBe(0)
    expect(report.coverage.notVerified).toEqual([])
    expect(report.coverage.partial).toEqual([])
    const secrets = readFileSync(`${config}.env`, 'utf8')
      .trim()
      .split('\n')
      .filter((l) => /PASSWORD|API_KEY|CONTROL_KEY/.test(l))
      .map((l) => l.slice(l.indexOf('=') + 2, -1))
    for (const f of readdirSync(out, { recursive: true })
      .map(String)
      .filter((f) => /\.(json|html|md|xml|har)$/.test(f))) {
      const text = readFileSync(join(out, f), 'utf8')
      for (const s of secrets) expect(text.includes(s), `${f} holds a secret`).toBe(false)
    }
  })

  test('the control key of a --db file holds across restarts', async () => {
    const key = readFileSync(join(dir, 'local.sqlite.control-key'), 'utf8').trim()
    const again = await conform(['serve', '--help'])
    expect(again.code).toBe(0)
    const second = join(dir, 'second.yaml')
    await serve(['--port', '0', '--db', join(dir, 'local.sqlite'), '--write-config', second])
    expect(readFileSync(`${second}.env`, 'utf8')).toContain(`LOCAL_CONTROL_KEY='${key}'`)
  })
})

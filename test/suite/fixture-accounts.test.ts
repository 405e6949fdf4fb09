import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startReference, type RunningReference } from '../../reference/index.ts'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import { conform } from '../helpers/cli.ts'

/**
 * A target configured like a staging system: no provisioning, fixture accounts whose credentials come
 * from the environment. Checks must leave every account exactly as they found it, and never print a secret.
 */
let ref: RunningReference
const accounts = [
  { role: 'member', userName: 'fx-jane', password: 'Jane-Secret-4471', email: 'jane@fx.example', mobileNumber: '15550001111' },
  { role: 'member', userName: 'fx-bob', password: 'Bob-Secret-9902', email: 'bob@fx.example', mobileNumber: '' },
  { role: 'sysadmin', userName: 'fx-admin', password: 'Admin-Secret-3318', email: 'admin@fx.example', mobileNumber: '15550002222' },
]
const env = {
  IR_JANE: 'fx-jane',
  IR_JANE_PASSWORD: accounts[0]!.password,
  IR_BOB: 'fx-bob',
  IR_BOB_PASSWORD: accounts[1]!.password,
  IR_ADMIN: 'fx-admin',
  IR_ADMIN_PASSWORD: accounts[2]!.password,
}

async function state(userName: string) {
  const login = await request(`${ref.url}/srv.asmx/AuthenticateUser?UID=fx-admin&PWD=${encodeURIComponent(accounts[2]!.password)}`)
  const ticket = /ticket="([^"]+)"/.exec(await login.body.text())![1]!
  const res = await request(`${ref.url}/srv.asmx/GetUser?authenticationTicket=${ticket}&UserName=${userName}`)
  const xml = await res.body.text()
  return Object.fromEntries(['Email', 'MobileNumber', 'FirstName', 'LastName', 'UserName'].map((a) => [a, new RegExp(` ${a}="([^"]*)"`).exec(xml)?.[1]]))
}

function config(allowWrites: boolean): string {
  const file = join(mkdtempSync(join(tmpdir(), 'conform-fx-')), 'conform.config.yaml')
  writeFileSync(
    file,
    `targets:
  staging:
    allowWrites: ${allowWrites}
    limits: { concurrency: 4, timeoutMs: 5000, maxBodyBytes: 1000000 }
    referenceControl: { url: ${ref.url}, key: "\${env:IR_CONTROL}" }
    apis:
      inforouter:
        baseUrl: ${ref.url}
        fixtures:
          member:
            - { userName: "\${env:IR_JANE}", password: "\${env:IR_JANE_PASSWORD}" }
            - { userName: "\${env:IR_BOB}", password: "\${env:IR_BOB_PASSWORD}" }
          sysadmin:
            - { userName: "\${env:IR_ADMIN}", password: "\${env:IR_ADMIN_PASSWORD}" }
`,
  )
  return file
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name))
}

beforeAll(async () => {
  ref = await startReference()
  for (const a of accounts) {
    const res = await request(`${ref.url}/__reference/inforouter/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-reference-control': ref.controlKey },
      body: JSON.stringify({ ...a, firstName: a.userName, lastName: 'Fixture' }),
    })
    expect(res.statusCode).toBe(201)
    await res.body.dump()
  }
})
afterAll(() => ref.close())

describe('a staging-like target with fixture accounts', () => {
  test('every check passes, and every account ends exactly as it started', async () => {
    const before = await Promise.all(accounts.map((a) => state(a.userName)))
    const out = mkdtempSync(join(tmpdir(), 'conform-fx-out-'))
    const r = await conform(['run', '--target', 'staging', '--config', config(true), '--out', out, '--seed', '3'], { ...env, IR_CONTROL: ref.controlKey })
    expect(r.code, r.stdout.slice(-3000) + r.stderr).toBe(0)
    const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport
    expect(report.summary.passed).toBe(report.summary.checks)
    expect(report.summary.checks).toBeGreaterThan(100)
    expect(await Promise.all(accounts.map((a) => state(a.userName)))).toEqual(before)

    const secrets = [...Object.values(env).filter((v) => v.includes('Secret')), ref.controlKey]
    for (const file of allFiles(out)) {
      const text = readFileSync(file, 'utf8')
      for (const s of secrets) expect(text.includes(s), `${s} found in ${file}`).toBe(false)
    }
    for (const s of secrets) expect(r.stdout.includes(s) || r.stderr.includes(s)).toBe(false)
  })

  test('without allowWrites, write checks are skipped with the reason and nothing changes', async () => {
    const before = await Promise.all(accounts.map((a) => state(a.userName)))
    const out = mkdtempSync(join(tmpdir(), 'conform-fx-out-'))
    const r = await conform(['run', '--target', 'staging', '--config', config(false), '--out', out], { ...env, IR_CONTROL: ref.controlKey })
    // Incomplete, never conformant: no write check ran, so their cells are not verified.
    expect(r.code).toBe(4)
    const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport
    expect(report.summary.skipped).toBe(report.summary.checks)
    expect(report.checks[0]!.message).toMatch(/allowWrites/)
    expect(await Promise.all(accounts.map((a) => state(a.userName)))).toEqual(before)
  })

  test('a missing environment variable is a config error (exit 2) before any request', async () => {
    const out = mkdtempSync(join(tmpdir(), 'conform-fx-out-'))
    const r = await conform(['run', '--target', 'staging', '--config', config(true), '--out', out, '--covers', 'IE-4'], {
      ...env,
      IR_CONTROL: ref.controlKey,
      IR_BOB_PASSWORD: undefined as unknown as string,
    })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/ENV_MISSING environment variable IR_BOB_PASSWORD is not set/)
  })
})

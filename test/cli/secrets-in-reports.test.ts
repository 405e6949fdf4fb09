import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import { afterAll, describe, expect, test } from 'vitest'
import { CONTROL_HEADER, startReference, type RunningReference } from '../../reference/index.ts'
import { conform } from '../helpers/cli.ts'

/**
 * A staging-like target (the reference, started here, reached through a recording proxy) with fixture accounts
 * whose credentials live in environment variables, half of the passwords full of what XML, JSON and URLs escape.
 * After a run, passing or failing, no configured credential and no token the target issued (tickets, session IDs)
 * may appear in any file under the reports folder, in any form a writer may have given it.
 */

interface Staging {
  ref: RunningReference
  proxy: Server
  url: string
  /** Every answer body the target sent, as the suite received it (unredacted). */
  answers: string[]
}

async function stage(deviations: string[]): Promise<Staging> {
  const ref = await startReference({ deviations })
  const answers: string[] = []
  const proxy = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'connection' && k !== 'content-length'))
      request(`${ref.url}${req.url ?? '/'}`, { method: req.method as 'GET', headers, body: chunks.length ? Buffer.concat(chunks) : null })
        .then(async (r) => {
          const body = await r.body.text()
          answers.push(body)
          res.writeHead(
            r.statusCode,
            Object.fromEntries(Object.entries(r.headers).filter(([k]) => k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection')),
          )
          res.end(body)
        })
        .catch((e: unknown) => {
          res.writeHead(502)
          res.end(String(e))
        })
    })
  })
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
  return { ref, proxy, url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, answers }
}

async function provision(ref: RunningReference, api: string, body: Record<string, string>): Promise<Record<string, string>> {
  const r = await request(`${ref.url}/__reference/${api}/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CONTROL_HEADER]: ref.controlKey },
    body: JSON.stringify(body),
  })
  const text = await r.body.text()
  if (r.statusCode !== 201) throw new Error(`provisioning ${api} ${JSON.stringify(body)}: ${r.statusCode} ${text}`)
  return JSON.parse(text) as Record<string, string>
}

const random = () => Math.random().toString(36).slice(2, 10)

/**
 * Passwords with the characters XML, JSON and URLs escape (the attacker's `Pw&ZZTOP'9731`, which XML writers leave
 * with its `'` raw and the old redactor missed), and plain ones.
 */
const password = (i: number) => (i % 2 === 0 ? `Pw&ZZTOP'9731"<x>${random()}` : `Pw-${random()}-${random()}`)

/** A value as the writers in play may have written it, up to two layers deep (an XML answer in a JSON report). */
function writtenForms(value: string): string[] {
  const writers = [
    (v: string) => encodeURIComponent(v),
    (v: string) => encodeURIComponent(v).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    (v: string) => new URLSearchParams({ v }).toString().slice(2),
    (v: string) => JSON.stringify(v).slice(1, -1),
    (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
    (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;'),
    (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
  ]
  const once = writers.map((w) => w(value))
  return [...new Set([value, ...once, ...once.flatMap((v) => writers.map((w) => w(v)))])]
}

/** Fixture accounts on the staging target; secrets go to the environment, the config holds ${env:…} references. */
async function fixtures(ref: RunningReference) {
  const env: Record<string, string> = {}
  const secrets: string[] = []
  let n = 0
  const secret = (value: string) => {
    const name = `SECRET_${++n}`
    env[name] = value
    secrets.push(value)
    return `\${env:${name}}`
  }
  const accounts: Record<string, Record<string, Array<Record<string, string>>>> = { inforouter: {}, ecgridos: {}, 'ecgrid-rest': {}, logicmelon: {} }
  const group = `g${random()}`
  for (const [i, role] of ['member', 'member', 'member', 'sysadmin'].entries()) {
    const userName = `ir${random()}`
    const pw = password(i)
    await provision(ref, 'inforouter', { userName, password: pw, role, email: `${userName}@example.com`, mobileNumber: '15550001111' })
    ;(accounts.inforouter![role] ??= []).push({ userName, password: secret(pw) })
  }
  for (const [i, role] of ['Root', 'TechOps', 'NetworkAdmin', 'MailboxAdmin', 'MailboxUser', 'MailboxUser', 'MailboxUser'].entries()) {
    const login = `ec${random()}`
    const pw = password(i)
    const made = await provision(ref, 'ecgridos', { login, password: pw, role, group, firstName: 'Fix', lastName: 'Ture', email: `${login}@example.com` })
    const account = { login, password: secret(pw), userId: made.userId!, apiKey: secret(made.apiKey!) }
    ;(accounts.ecgridos![role] ??= []).push(account)
    ;(accounts['ecgrid-rest']![role] ??= []).push(account)
  }
  for (const [i, [role, placement]] of (
    [
      ['Administrator', 'top'],
      ['Administrator', 'top'],
      ['Recruiter', 'same'],
      ['Recruiter', 'same'],
    ] as const
  ).entries()) {
    const username = `lm${random()}`
    const pw = password(i)
    const made = await provision(ref, 'logicmelon', { username, password: pw, role, group, placement, firstName: 'Fix', position: 'Tester' })
    ;(accounts.logicmelon![role] ??= []).push({ username, password: secret(pw), userId: made.userId!, apiKey: secret(made.apiKey!) })
  }
  return { env, secrets, accounts }
}

function configFor(url: string, accounts: Record<string, Record<string, Array<Record<string, string>>>>): string {
  return JSON.stringify({
    defaultTarget: 'staging',
    targets: {
      staging: {
        allowWrites: true,
        limits: { concurrency: 4, timeoutMs: 10000, maxBodyBytes: 2000000 },
        apis: Object.fromEntries(Object.entries(accounts).map(([api, fixtures]) => [api, { baseUrl: url, fixtures }])),
      },
    },
  })
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

/** Tickets and session IDs the target handed out, read from its own answers. */
function issuedTokens(answers: string[]): string[] {
  const tokens = new Set<string>()
  for (const body of answers) {
    for (const m of body.matchAll(/ticket="([^"]{8,})"/g)) tokens.add(m[1]!)
    for (const m of body.matchAll(/<LoginResult>([^<]{8,})<\/LoginResult>/g)) tokens.add(m[1]!)
  }
  return [...tokens]
}

const running: Staging[] = []
afterAll(async () => {
  for (const s of running) {
    s.proxy.close()
    await s.ref.close()
  }
})

/** A staging-like target with fixture accounts, its config file, and a reports folder beside it. */
async function stagingTarget(deviations: string[]) {
  const s = await stage(deviations)
  running.push(s)
  const { env, secrets, accounts } = await fixtures(s.ref)
  const dir = mkdtempSync(join(tmpdir(), 'conform-secrets-'))
  const config = join(dir, 'conform.config.yaml')
  writeFileSync(config, configFor(s.url, accounts))
  return { s, env, secrets, config, out: join(dir, 'reports') }
}

// One test at a time: each scans its reports for secrets synchronously, which would stall the other tests' targets,
// served from this same process (a candidate run of the compare test once timed out on its first request that way).
describe('no secret under reports/ after a run against a staging-like target', () => {
  for (const [label, deviations] of [
    ['a passing run', []],
    ['a run with failures (one of them echoes passwords)', ['ie-noop-fails', 'lm-password-echoed', 'eo-changes-status']],
  ] as const) {
    test(label, async () => {
      const { s, env, secrets, config, out } = await stagingTarget([...deviations])
      const r = await conform(['run', '--config', config, '--out', out, '--seed', '3'], env)
      // A passing run may be incomplete (exit 4): its risky checks do not run, as no account here is disposable.
      expect(deviations.length ? [1] : [0, 4], r.stderr + r.stdout.slice(-3000)).toContain(r.code)
      const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as { summary: { passed: number; failed: number } }
      expect(report.summary.passed).toBeGreaterThan(50)
      if (deviations.length) expect(report.summary.failed).toBeGreaterThan(0)

      const tokens = issuedTokens(s.answers)
      expect(tokens.length).toBeGreaterThan(5)
      const files = filesUnder(out)
      expect(files.map((f) => f.slice(out.length + 1))).toEqual(
        expect.arrayContaining(['conformance.json', 'junit.xml', 'matrix.html', 'matrix.md', 'exchanges.har']),
      )
      expect(files.filter((f) => f.includes('allure-results')).length).toBeGreaterThan(100)
      const leaks: string[] = []
      for (const file of files) {
        const text = readFileSync(file, 'utf8')
        for (const value of [...secrets, ...tokens]) {
          for (const form of writtenForms(value)) if (text.includes(form)) leaks.push(`${file.slice(out.length + 1)} contains ${form.slice(0, 4)}…`)
        }
      }
      expect(leaks).toEqual([])
      // The stdout of the run is an output too.
      for (const value of [...secrets, ...tokens]) for (const form of writtenForms(value)) expect(r.stdout + r.stderr).not.toContain(form)
    })
  }

  test('a comparison of the target with itself (three runs, migration reports, answers side by side)', async () => {
    const { s, env, secrets, config, out } = await stagingTarget(['lm-password-echoed', 'ie-noop-fails'])
    const r = await conform(
      [
        'compare',
        '--baseline',
        'staging',
        '--candidate',
        'staging',
        '--api',
        'inforouter,logicmelon',
        '--binding',
        'soap11',
        '--config',
        config,
        '--out',
        out,
        '--seed',
        '3',
      ],
      env,
    )
    expect(r.code, r.stderr + r.stdout.slice(-3000)).toBe(0)
    const files = filesUnder(out)
    expect(files.map((f) => f.slice(out.length + 1))).toEqual(
      expect.arrayContaining(['migration.json', 'migration.md', 'migration.html', 'compare/candidate/exchanges.har', 'compare/baseline-1/console.log']),
    )
    const tokens = issuedTokens(s.answers)
    expect(tokens.length).toBeGreaterThan(5)
    const leaks = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8')
      return [...secrets, ...tokens]
        .filter((v) => writtenForms(v).some((f) => text.includes(f)))
        .map((v) => `${file.slice(out.length + 1)} contains ${v.slice(0, 4)}…`)
    })
    expect(leaks).toEqual([])
    for (const value of [...secrets, ...tokens]) for (const form of writtenForms(value)) expect(r.stdout + r.stderr).not.toContain(form)
  })
})

import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startReference, type RunningReference } from '../../reference/index.ts'
import { PROJECT_ROOT } from '../../src/paths.ts'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import { makePki, type TestPki } from '../helpers/certs.ts'
import { conform, type CliResult } from '../helpers/cli.ts'
import { startConnectProxy, type TestProxy } from '../helpers/connect-proxy.ts'

/**
 * `conform run` against the reference served over HTTPS (and mTLS), configured like a staging target, in
 * real processes with the environment a CI job would give them. A few checks (IC-1 over SOAP 1.1, one of
 * them through a node-soap client generated from the WSDL) keep each run short.
 */
let pki: TestPki
let https: RunningReference
let mtls: RunningReference
let proxy: TestProxy
let configFile: string

const accounts = [
  { role: 'member', userName: 'tls-jane', password: 'Jane-Tls-Secret-1' },
  { role: 'member', userName: 'tls-bob', password: 'Bob-Tls-Secret-2' },
  { role: 'sysadmin', userName: 'tls-admin', password: 'Admin-Tls-Secret-3' },
]
const NO_PROXY_ENV = { HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '', NO_PROXY: '', no_proxy: '' }
const baseEnv = () => ({
  ...NO_PROXY_ENV,
  TLS_JANE_PASSWORD: accounts[0]!.password,
  TLS_BOB_PASSWORD: accounts[1]!.password,
  TLS_ADMIN_PASSWORD: accounts[2]!.password,
  TLS_CLIENT_KEY: pki.clientKey,
})

async function provision(ref: RunningReference, dispatcher: Agent): Promise<void> {
  for (const a of accounts) {
    const res = await request(`${ref.url}/__reference/inforouter/users`, {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/json', 'x-reference-control': ref.controlKey },
      body: JSON.stringify({ ...a, email: `${a.userName}@tls.example`, mobileNumber: '15550001111', firstName: a.userName, lastName: 'Fixture' }),
    })
    expect(res.statusCode).toBe(201)
    await res.body.dump()
  }
}

function target(name: string, url: string, tls: string): string {
  return `  ${name}:
    allowWrites: true
    limits: { concurrency: 4, timeoutMs: 5000, maxBodyBytes: 1000000 }
${tls ? `    tls: ${tls}\n` : ''}    apis:
      inforouter:
        baseUrl: ${url}
        fixtures:
          member:
            - { userName: tls-jane, password: "\${env:TLS_JANE_PASSWORD}" }
            - { userName: tls-bob, password: "\${env:TLS_BOB_PASSWORD}" }
          sysadmin:
            - { userName: tls-admin, password: "\${env:TLS_ADMIN_PASSWORD}" }
`
}

beforeAll(async () => {
  pki = makePki()
  const cert = pki.pem(pki.serverCert)
  const key = pki.pem(pki.serverKey)
  https = await startReference({ tls: { cert, key } })
  mtls = await startReference({ tls: { cert, key, clientCa: pki.pem(pki.ca) } })
  const client = new Agent({ connect: { ca: pki.pem(pki.ca), cert: pki.pem(pki.clientCert), key: pki.pem(pki.clientKey) } })
  await provision(https, client)
  await provision(mtls, client)
  await client.close()
  proxy = await startConnectProxy()
  configFile = join(mkdtempSync(join(tmpdir(), 'conform-tls-')), 'conform.config.yaml')
  writeFileSync(
    configFile,
    `targets:
${target('https-ca', https.url, `{ ca: "${pki.ca}" }`)}${target('https-noca', https.url, '')}${target('https-insecure', https.url, '{ insecure: true }')}${target('https-other-ca', https.url, `{ ca: "${pki.dir}/stranger-ca.crt" }`)}${target('mtls-nocert', mtls.url, `{ ca: "${pki.ca}" }`)}${target('mtls', mtls.url, `{ ca: "${pki.ca}", cert: "${pki.clientCert}", key: "\${env:TLS_CLIENT_KEY}" }`)}`,
  )
})
afterAll(async () => {
  await proxy.close()
  await https.close()
  await mtls.close()
})

function run(targetName: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult & { out: string }> {
  const out = mkdtempSync(join(tmpdir(), 'conform-tls-out-'))
  return conform(['run', '--target', targetName, '--config', configFile, '--out', out, '--covers', 'IC-1', '--binding', 'soap11', '--seed', '5'], {
    ...baseEnv(),
    ...env,
  }).then((r) => ({ ...r, out }))
}

function passedEverything(r: CliResult & { out: string }): ConformanceReport {
  expect(r.code, r.stdout.slice(-2000) + r.stderr).toBe(0)
  const report = JSON.parse(readFileSync(join(r.out, 'conformance.json'), 'utf8')) as ConformanceReport
  expect(report.summary.checks).toBeGreaterThanOrEqual(3)
  expect(report.summary.passed).toBe(report.summary.checks)
  expect(report.checks.map((c) => c.id)).toContain('inforouter.update-user-contact-info.generated-client@soap11')
  return report
}

function exitedThree(r: CliResult, message: RegExp): void {
  expect(r.code, r.stdout + r.stderr).toBe(3)
  expect(r.stderr).toMatch(message)
  expect(r.stderr).not.toMatch(/\n\s+at /)
}

describe('a target served over HTTPS', () => {
  test('with its CA in tls.ca, through a CONNECT proxy (HTTPS_PROXY): every check passes and the proxy carried the traffic', async () => {
    proxy.seen.length = 0
    passedEverything(await run('https-ca', { HTTPS_PROXY: proxy.url }))
    expect(proxy.seen.length).toBeGreaterThan(0)
    expect(new Set(proxy.seen)).toEqual(new Set([`CONNECT ${new URL(https.url).host}`]))
  })
  test('NO_PROXY bypasses the proxy: every check passes and the proxy saw nothing', async () => {
    proxy.seen.length = 0
    passedEverything(await run('https-ca', { HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }))
    expect(proxy.seen).toEqual([])
  })
  test('without the CA: exit 3, naming the certificate problem and what to fix, before any check', async () => {
    exitedThree(
      await run('https-noca'),
      /TRANSPORT_TLS_UNTRUSTED .*certificate signed by an unknown authority .*add the CA .*with tls\.ca in the target, or NODE_EXTRA_CA_CERTS/,
    )
  })
  test('the CA from NODE_EXTRA_CA_CERTS is trusted too: tls.ca adds roots, it does not replace them', async () => {
    passedEverything(await run('https-other-ca', { NODE_EXTRA_CA_CERTS: pki.ca }))
  })
  test('tls.insecure: passes, with a warning printed on the run', async () => {
    const r = await run('https-insecure')
    passedEverything(r)
    expect(r.stderr).toMatch(/warning: target https-insecure: TLS certificate verification is OFF \(tls\.insecure: true\)/)
  })
  test('a proxy that refuses CONNECT: exit 3, saying so', async () => {
    proxy.mode = 403
    try {
      exitedThree(
        await run('https-ca', { HTTPS_PROXY: proxy.url }),
        /TRANSPORT_PROXY .*the proxy http:\/\/127\.0\.0\.1:\d+ refused CONNECT to 127\.0\.0\.1:\d+ \(HTTP 403\)/,
      )
    } finally {
      proxy.mode = 'tunnel'
    }
  })
})

test("the embedded reference (on loopback) is never reached through the environment's proxy", async () => {
  proxy.mode = 403
  proxy.seen.length = 0
  try {
    const out = mkdtempSync(join(tmpdir(), 'conform-tls-out-'))
    const r = await conform(['run', '--out', out, '--covers', 'IC-1', '--binding', 'soap11'], {
      ...NO_PROXY_ENV,
      HTTPS_PROXY: proxy.url,
      HTTP_PROXY: proxy.url,
    })
    expect(r.code, r.stdout.slice(-2000) + r.stderr).toBe(0)
    expect(proxy.seen).toEqual([])
  } finally {
    proxy.mode = 'tunnel'
  }
})

describe('a target that requires client certificates', () => {
  test('refused without one: exit 3, "client certificate required: set tls.cert and tls.key"', async () => {
    exitedThree(await run('mtls-nocert'), /TRANSPORT_TLS_CLIENT_CERT .*client certificate required: .*set tls\.cert and tls\.key/)
  })
  test('accepted with one (key from the environment); no key material in any output', async () => {
    const r = await run('mtls')
    passedEverything(r)
    const files = readdirSync(r.out, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => join(d.parentPath, d.name))
    for (const text of [r.stdout, r.stderr, ...files.map((f) => readFileSync(f, 'utf8'))]) {
      expect(text).not.toContain('PRIVATE KEY')
      for (const a of accounts) expect(text).not.toContain(a.password)
    }
  })
})

test('conform serve --tls-cert --tls-key --client-ca serves HTTPS and requires client certificates', async () => {
  const child = spawn(
    process.execPath,
    [resolve(PROJECT_ROOT, 'bin/conform.mjs'), 'serve', '--port', '0', '--tls-cert', pki.serverCert, '--tls-key', pki.serverKey, '--client-ca', pki.ca],
    { cwd: PROJECT_ROOT },
  )
  const exited = new Promise<number | null>((r) => child.on('close', r))
  let out = ''
  try {
    const url = await new Promise<string>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`no URL printed: ${out}`)), 15_000)
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        const m = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out)
        if (m && /TLS: client certificates required/.test(out)) {
          clearTimeout(timer)
          ok(m[1]!)
        }
      })
    })
    const withCert = new Agent({ connect: { ca: pki.pem(pki.ca), cert: pki.pem(pki.clientCert), key: pki.pem(pki.clientKey) } })
    const res = await request(`${url}/srv.asmx?WSDL`, { dispatcher: withCert })
    const wsdl = await res.body.text()
    expect(res.statusCode).toBe(200)
    expect(wsdl).toContain(`location="${url}/srv.asmx"`)
    await withCert.close()
    const without = new Agent({ connect: { ca: pki.pem(pki.ca) } })
    await expect(request(`${url}/srv.asmx?WSDL`, { dispatcher: without }).then((r) => r.body.text())).rejects.toThrow()
    await without.close()
  } finally {
    child.kill('SIGTERM')
  }
  expect(await exited).toBe(0)
})

import { Agent, request } from 'undici'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startReference, type RunningReference } from '../../reference/index.ts'
import { Runner } from '../../src/engine/runner.ts'
import { planChecks } from '../../src/engine/plan.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'
import type { TlsConfig } from '../../src/spec/model.ts'
import { makePki, type TestPki } from '../helpers/certs.ts'
import { project } from '../helpers/run-suite.ts'

/** Inside checks (no preflight to stop the run first), a certificate problem is a `transport` failure that says what to fix. */
let pki: TestPki
let ref: RunningReference
const accounts = [
  { role: 'member', userName: 'in-jane', password: 'In-Jane-1' },
  { role: 'member', userName: 'in-bob', password: 'In-Bob-2' },
  { role: 'sysadmin', userName: 'in-admin', password: 'In-Admin-3' },
]

beforeAll(async () => {
  pki = makePki()
  ref = await startReference({ tls: { cert: pki.pem(pki.serverCert), key: pki.pem(pki.serverKey) } })
  const client = new Agent({ connect: { ca: pki.pem(pki.ca) } })
  for (const a of accounts) {
    const res = await request(`${ref.url}/__reference/inforouter/users`, {
      method: 'POST',
      dispatcher: client,
      headers: { 'content-type': 'application/json', 'x-reference-control': ref.controlKey },
      body: JSON.stringify({ ...a, email: `${a.userName}@in.example`, mobileNumber: '1', firstName: a.userName, lastName: 'F' }),
    })
    expect(res.statusCode).toBe(201)
    await res.body.dump()
  }
  await client.close()
})
afterAll(() => ref.close())

async function runChecks(tls: TlsConfig | undefined) {
  // Literal values stand in for what `${env:…}` would give, so that this process's environment stays untouched.
  const fixtures = {
    member: accounts.slice(0, 2).map(({ userName, password }) => ({ userName, password })),
    sysadmin: [{ userName: 'in-admin', password: 'In-Admin-3' }],
  }
  const target: ResolvedTarget = {
    name: 'staging-like',
    allowWrites: true,
    limits: { concurrency: 4, timeoutMs: 5000, maxBodyBytes: 1_000_000 },
    ...(tls ? { tls } : {}),
    apis: { inforouter: { baseUrl: ref.url, fixtures } },
  }
  const p = project()
  const runner = new Runner({ target, apis: p.apis, catalogue: p.catalogue, seed: 9 })
  try {
    return await runner.runAll(planChecks(p, target, { covers: ['IC-1'], bindings: ['soap11', 'http-get'] }))
  } finally {
    await runner.close()
  }
}

test('with the CA every check passes; without it every check fails as transport, naming the certificate problem', async () => {
  const good = await runChecks({ ca: [pki.ca] })
  expect(good.length).toBeGreaterThanOrEqual(3)
  expect(good.filter((r) => r.status !== 'passed').map((r) => `${r.id}: ${r.message}`)).toEqual([])

  const bad = await runChecks(undefined)
  expect(bad.length).toBe(good.length)
  for (const r of bad) {
    expect(r.status).toBe('failed')
    expect(r.category).toBe('transport')
    expect(r.message).toMatch(/certificate signed by an unknown authority .*tls\.ca/)
  }
})

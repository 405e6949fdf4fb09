import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startReference, type RunningReference } from '../../reference/index.ts'
import { Runner } from '../../src/engine/runner.ts'
import { Transport } from '../../src/transport/index.ts'
import { GeneratedClients } from '../../src/engine/generated-client.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'
import { loadProject } from '../../src/project.ts'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import type { Limits } from '../../src/spec/model.ts'
import { conform } from '../helpers/cli.ts'
import { Staging } from '../helpers/staging.ts'

/**
 * A target's limits (config `limits`) hold on every request of a run: the deadline, the size cap and 429/503
 * retries reach the transport from the config; concurrency and requests per second hold for the target as a whole,
 * however many vitest workers the machine would run suite files in.
 */

let server: Server
let base = ''
const hits: Record<string, number> = {}
beforeAll(async () => {
  server = createServer((req, res) => {
    const kind = (req.url ?? '').split('/')[1] ?? ''
    hits[kind] = (hits[kind] ?? 0) + 1
    if (kind === 'hang') return
    if (kind === 'big') return void res.end(`<response>${'x'.repeat(50_000)}</response>`)
    if (kind === 'throttle') {
      res.writeHead(429, { 'retry-after': '0' })
      return void res.end()
    }
    res.end('ok')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => {
  server.closeAllConnections()
  server.close()
})

const project = loadProject()

function runner(path: string, limits: Partial<Limits>): Runner {
  const target: ResolvedTarget = {
    name: 'limited',
    allowWrites: false,
    limits: { concurrency: 2, timeoutMs: 10_000, maxBodyBytes: 1_000_000, ...limits },
    apis: { inforouter: { baseUrl: `${base}/${path}`, fixtures: {} } },
  }
  return new Runner({ target, apis: project.apis, catalogue: project.catalogue, seed: 1 })
}

interface Failure {
  code: string
  category: string
  message: string
}
/** The error a call fails with (a call that succeeds fails the test). */
const failure = (p: Promise<unknown>): Promise<Failure> =>
  p.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (e: unknown) => e as Failure,
  )
const getUser = (r: Runner) =>
  failure(
    r.client('inforouter').call('http-get', 'GetUser', [
      ['authenticationTicket', '00000000-0000-0000-0000-000000000000'],
      ['UserName', 'jane'],
    ]),
  )

/** LM-4 and LM-5 include checks that could change what a restore cannot put back: they run on disposable accounts only. */
const LM_DISPOSABLE = ['logicmelon:Administrator', 'logicmelon:Recruiter']

describe('limits from the config reach every request', () => {
  test('timeoutMs: a target that never answers fails the request as transport, on time', async () => {
    const r = runner('hang', { timeoutMs: 400 })
    const started = performance.now()
    const err = await getUser(r)
    expect(err).toMatchObject({ code: 'TRANSPORT_TIMEOUT', category: 'transport' })
    expect(err.message).toMatch(/400 ms deadline/)
    expect(performance.now() - started).toBeLessThan(1500)
    await r.close()
  })

  test('maxBodyBytes: a larger answer is cut off and fails as transport', async () => {
    const r = runner('big', { maxBodyBytes: 4096 })
    expect(await getUser(r)).toMatchObject({ code: 'TRANSPORT_TOO_LARGE', category: 'transport' })
    await r.close()
  })

  test('retries: a 429 with Retry-After is sent again at most `retries` times', async () => {
    const r = runner('throttle', { retries: 1 })
    const before = hits.throttle ?? 0
    const err = await getUser(r)
    expect(err).toMatchObject({ code: 'TRANSPORT_RATE_LIMITED', category: 'transport' })
    expect(err.message).toMatch(/gave up after 1 retry \(limits.retries is 1\)/)
    expect((hits.throttle ?? 0) - before).toBe(2)
    await r.close()
  })

  test('the generated (node-soap) client sends through the transport: its size cap, and every request under its slots and pace', async () => {
    const ref: RunningReference = await startReference()
    try {
      const seen: string[] = []
      const transport = (maxBodyBytes: number) => new Transport({ timeoutMs: 5000, maxBodyBytes, connections: 2 }, (e) => seen.push(e.request.url))
      const capped = new GeneratedClients(transport(2048))
      const err = await failure(
        capped.call(`${ref.url}/srv.asmx?WSDL`, 'soap11', 'GetUser', [
          ['authenticationTicket', 'x'],
          ['UserName', 'y'],
        ]),
      )
      expect(err.message).toMatch(/exceeds the 2048-byte cap/)
      expect(seen).toHaveLength(1)
      const roomy = new GeneratedClients(transport(1_000_000))
      const ok = await roomy.call(`${ref.url}/srv.asmx?WSDL`, 'soap11', 'GetUser', [
        ['authenticationTicket', 'x'],
        ['UserName', 'y'],
      ])
      expect(ok.answer.body).toMatch(/GetUserResponse/)
      expect(seen).toHaveLength(3) // the capped WSDL, then the WSDL and the call
    } finally {
      await ref.close()
    }
  })
})

describe('concurrency and requests per second hold for the whole target, whatever the worker count', () => {
  let s: Staging
  beforeAll(async () => {
    s = await new Staging().start()
  })
  afterAll(() => s.close())

  // As on a CI machine with five cores: vitest would run four suite files at once.
  const manyWorkers = { VITEST_MAX_WORKERS: '4' }

  test('concurrency: never more requests in flight than limits.concurrency', async () => {
    s.delayMs = 60
    s.maxInFlight = 0
    const out = join(s.dir, 'concurrency')
    const config = s.config({ allowWrites: true, limits: { concurrency: 2 }, disposable: LM_DISPOSABLE })
    const r = await conform(
      [
        'run',
        '--target',
        'staging',
        '--config',
        config,
        '--out',
        out,
        '--api',
        'inforouter,logicmelon,ecgridos',
        '--binding',
        'soap11',
        '--covers',
        'IC-1,LM-4,LM-5,EO-1',
      ],
      { ...s.env, ...manyWorkers },
    )
    s.delayMs = 0
    // Incomplete, not failed: EO-1's specs that need users in another network or mailbox cannot run on fixture accounts.
    expect(r.code, r.stderr + r.stdout.slice(-2000)).toBe(4)
    const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport
    expect(report.summary.failed).toBe(0)
    expect(report.coverage.partial.map((u) => u.id)).toEqual(['EO-1'])
    expect(new Set(report.checks.map((c) => c.api)).size).toBe(3)
    expect(s.maxInFlight).toBe(2)
  })

  test('checkTimeoutMs: a check slower than its limit stops there, restores its users and fails, naming the limit', async () => {
    const before = s.users()
    // 0.6 s a request: even the generated-client check (its call goes where the WSDL says, past the delay) outlasts 1.5 s.
    s.delayMs = 600
    const out = join(s.dir, 'check-limit')
    const config = s.config({ allowWrites: true, limits: { concurrency: 2, timeoutMs: 1000, checkTimeoutMs: 1500 } })
    const started = performance.now()
    const r = await conform(
      ['run', '--target', 'staging', '--config', config, '--out', out, '--api', 'inforouter', '--binding', 'soap11', '--covers', 'IC-1'],
      s.env,
    )
    const seconds = (performance.now() - started) / 1000
    s.delayMs = 0
    expect(r.code, r.stderr + r.stdout.slice(-2000)).toBe(1)
    const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport
    expect(report.checks.length).toBeGreaterThan(0)
    for (const c of report.checks) {
      expect(c.message, c.id).toMatch(/ran longer than its time limit of 1\.5 s/)
      expect(c.steps.find((st) => st.name === 'restore')?.status, c.id).toBe('passed')
    }
    // Each check stopped at 1.5 s (then restored, at 0.6 s a request): nowhere near the default minute.
    expect(seconds).toBeLessThan(30)
    expect(s.users()).toEqual(before)
  })

  test('requestsPerSecond: no one-second window holds more request starts than the limit (+1 for its edges)', async () => {
    const rps = 10
    s.starts.length = 0
    const out = join(s.dir, 'rps')
    const config = s.config({ allowWrites: true, limits: { concurrency: 8, requestsPerSecond: rps }, disposable: LM_DISPOSABLE })
    const r = await conform(
      ['run', '--target', 'staging', '--config', config, '--out', out, '--api', 'inforouter,logicmelon', '--binding', 'soap11', '--covers', 'IC-1,LM-4'],
      { ...s.env, ...manyWorkers },
    )
    expect(r.code, r.stderr + r.stdout.slice(-2000)).toBe(0)
    const starts = [...s.starts]
    expect(starts.length).toBeGreaterThan(2 * rps)
    let worst = 0
    for (const [i, t] of starts.entries()) worst = Math.max(worst, starts.slice(i).filter((u) => u - t < 1000).length)
    expect(worst, starts.map((t) => Math.round(t - starts[0]!)).join(' ')).toBeLessThanOrEqual(rps + 1)
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(((starts.length - 1) * 1000) / rps - 50)
  })
})

import { readdirSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { Transport } from '../../src/transport/index.ts'
import { parseRetryAfter, RetriesExhausted } from '../../src/transport/retry.ts'
import { conform } from '../helpers/cli.ts'
import { Staging } from '../helpers/staging.ts'

/** A loopback server that answers each path from a script: a list of [status, Retry-After] per request, then 200. */
let server: Server
let base = ''
const script = new Map<string, Array<[number, string | undefined]>>()
const hits = new Map<string, number[]>()

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/'
    hits.set(path, [...(hits.get(path) ?? []), performance.now()])
    const next = script.get(path)?.shift()
    if (!next) return void res.end('ok')
    const [status, retryAfter] = next
    res.writeHead(status, retryAfter === undefined ? {} : { 'retry-after': retryAfter })
    res.end('busy')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => {
  server.closeAllConnections()
  server.close()
})
beforeEach(() => {
  script.clear()
  hits.clear()
})

const transport = (extra: { retries?: number; maxRetryWaitMs?: number } = {}) =>
  new Transport({ timeoutMs: 5000, maxBodyBytes: 10_000, connections: 4, ...extra })
const get = (t: Transport, path: string, signal?: AbortSignal, deadlineAt?: number) =>
  t.send({ method: 'GET', url: `${base}${path}`, headers: {} }, signal, deadlineAt)

describe('Retry-After', () => {
  test('parses delta-seconds and HTTP dates; anything else is not a Retry-After', () => {
    const now = Date.parse('2026-11-22T10:00:00Z')
    expect(parseRetryAfter('3', now)).toBe(3000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:07 GMT', now)).toBe(7000)
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0) // in the past: retry now
    for (const bad of [undefined, '', '1.5', '-1', 'soon', '12abc']) expect(parseRetryAfter(bad, now)).toBeUndefined()
  })

  test('a 503 with Retry-After: 1 is waited out (about a second) and retried; the retry is recorded on the answer', async () => {
    script.set('/a', [[503, '1']])
    const t = transport()
    const answer = await get(t, '/a')
    expect(answer.status).toBe(200)
    expect(answer.retries).toEqual([{ status: 503, retryAfter: '1', waitMs: 1000 }])
    const [first, second] = hits.get('/a')!
    expect(second! - first!).toBeGreaterThanOrEqual(990)
    await t.close()
  })

  test('429 is retried at most limits.retries times, then the request fails as transport, naming the limit', async () => {
    script.set('/b', [
      [429, '0'],
      [429, '0'],
      [429, '0'],
      [429, '0'],
    ])
    const t = transport({ retries: 2 })
    const err = await get(t, '/b').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RetriesExhausted)
    expect((err as RetriesExhausted).category).toBe('transport')
    expect((err as RetriesExhausted).code).toBe('TRANSPORT_RATE_LIMITED')
    expect((err as RetriesExhausted).message).toMatch(/HTTP 429 with Retry-After "0": gave up after 2 retries \(limits.retries is 2\)/)
    expect((err as RetriesExhausted).retries).toHaveLength(2)
    expect(hits.get('/b')).toHaveLength(3)
    await t.close()
  })

  test('a wait longer than maxRetryWaitMs is not waited for', async () => {
    script.set('/c', [[503, '120']])
    const t = transport({ maxRetryWaitMs: 30_000 })
    const started = performance.now()
    const err = await get(t, '/c').catch((e: unknown) => e)
    expect((err as Error).message).toMatch(/the wait \(120 s\) is longer than limits.maxRetryWaitMs \(30000 ms\)/)
    expect(performance.now() - started).toBeLessThan(1000)
    expect(hits.get('/c')).toHaveLength(1)
    await t.close()
  })

  test("never waits past the check's deadline", async () => {
    script.set('/d', [[429, '5']])
    const t = transport()
    const err = await get(t, '/d', undefined, Date.now() + 1000).catch((e: unknown) => e)
    expect((err as Error).message).toMatch(/waiting 5 s would pass the check's deadline/)
    expect(hits.get('/d')).toHaveLength(1)
    await t.close()
  })

  test('retries: 0 turns retrying off; a 429 without Retry-After, and a 500 with one, are answers like any other', async () => {
    script.set('/e', [[429, '0']])
    script.set('/f', [[429, undefined]])
    script.set('/g', [[500, '1']])
    const t = transport({ retries: 0 })
    await expect(get(t, '/e')).rejects.toThrow(/gave up after 0 retries/)
    const t2 = transport()
    expect((await get(t2, '/f')).status).toBe(429)
    expect((await get(t2, '/g')).status).toBe(500)
    expect(hits.get('/f')).toHaveLength(1)
    expect(hits.get('/g')).toHaveLength(1)
    await t.close()
    await t2.close()
  })

  test('a cancelled check does not sit out the wait', async () => {
    script.set('/h', [[503, '20']])
    const t = transport()
    const stop = new AbortController()
    setTimeout(() => stop.abort(new Error('SIGINT received')), 200)
    const started = performance.now()
    await expect(get(t, '/h', stop.signal)).rejects.toThrow('SIGINT received')
    expect(performance.now() - started).toBeLessThan(1500)
    await t.close()
  })
})

describe('retries are reported, never hidden', () => {
  test('a run against a target that answers 503 + Retry-After twice: counted per check, in the summary, on the console and in Allure', async () => {
    const s = await new Staging().start()
    try {
      s.throttle = { match: (op) => op === 'UpdateUserContactInfo', status: 503, retryAfter: '1', times: 2 }
      const out = join(s.dir, 'reports')
      const r = await conform(
        [
          'run',
          '--target',
          'staging',
          '--config',
          s.config({ allowWrites: true }),
          '--out',
          out,
          '--api',
          'inforouter',
          '--binding',
          'soap11',
          '--covers',
          'IC-1',
        ],
        s.env,
      )
      expect(r.code, r.stderr + r.stdout.slice(-2000)).toBe(0)
      expect(s.throttle.times).toBe(0)
      const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as {
        summary: { retries: number; failed: number }
        checks: Array<{ id: string; retries?: number }>
      }
      expect(report.summary.retries).toBe(2)
      const retried = report.checks.filter((c) => (c.retries ?? 0) > 0)
      expect(retried.reduce((n, c) => n + c.retries!, 0)).toBe(2)
      expect(r.stdout).toContain(`2 request(s) retried after 429/503 with Retry-After, in ${retried.length} check(s): ${retried.map((c) => c.id).join(', ')}`)
      const dir = join(out, 'allure-results')
      const params = readdirSync(dir)
        .filter((f) => f.endsWith('-result.json'))
        .flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { parameters: Array<{ name: string; value: string }> }).parameters)
        .filter((p) => p.name === 'retries')
      expect(params.map((p) => p.value).sort()).toEqual(retried.map((c) => `${c.retries} (429/503 with Retry-After)`).sort())
      // Each retry is shown in an attachment of its check (its step's, or the passed check's exchanges).
      const attached = readdirSync(dir)
        .filter((f) => /-attachment/.test(f))
        .map((f) => readFileSync(join(dir, f), 'utf8'))
      expect(attached.filter((t) => /retry 1: HTTP (429|503), Retry-After/.test(t)).length).toBe(2)
    } finally {
      await s.close()
    }
  })
})

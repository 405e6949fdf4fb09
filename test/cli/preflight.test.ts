import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, test } from 'vitest'
import { preflight } from '../../src/cli/preflight.ts'
import type { TargetConfig } from '../../src/spec/model.ts'
import { closedUrl } from '../helpers/ports.ts'

const servers: Server[] = []
afterEach(() => {
  for (const s of servers.splice(0)) s.close()
})

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const s = createServer(handler)
  servers.push(s)
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`
}

const target = (apis: Record<string, string>, limits: Partial<TargetConfig['limits']> = {}): TargetConfig =>
  ({
    name: 'staging',
    reference: false,
    allowWrites: true,
    limits: { concurrency: 4, timeoutMs: 10_000, ...limits },
    apis: Object.fromEntries(Object.entries(apis).map(([a, baseUrl]) => [a, { baseUrl, fixtures: {} }])),
  }) as unknown as TargetConfig

const quiet = { warn: () => undefined, env: {} }

describe('the base-URL preflight', () => {
  test('asks every base URL at once, as many as the target allows: the first answers only once the second was asked', async () => {
    let second!: () => void
    const secondAsked = new Promise<void>((r) => {
      second = r
    })
    const a = await listen((_req, res) => {
      void secondAsked.then(() => res.end('a'))
    })
    const b = await listen((_req, res) => {
      second()
      res.end('b')
    })
    await expect(preflight(target({ one: a, two: b }), quiet)).resolves.toBeUndefined()
  })

  test('one at a time when the target allows one request in flight', async () => {
    let inFlight = 0
    let most = 0
    const handler = (_req: unknown, res: { end(s: string): void }) => {
      inFlight++
      most = Math.max(most, inFlight)
      setImmediate(() => {
        inFlight--
        res.end('x')
      })
    }
    const urls = await Promise.all([listen(handler), listen(handler), listen(handler)])
    await preflight(target({ a: urls[0]!, b: urls[1]!, c: urls[2]! }, { concurrency: 1 }), quiet)
    expect(most).toBe(1)
  })

  test('names the first unreachable API in the config order, whichever fails first', async () => {
    const gone1 = await closedUrl()
    const gone2 = await closedUrl()
    const up = await listen((_req, res) => res.end('ok'))
    const err = await preflight(target({ fine: up, first: gone1, second: gone2 }), quiet).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    )
    expect(err?.message).toMatch(/target staging: first at http:\/\/127\.0\.0\.1:\d+ could not be reached \(ECONNREFUSED\)/)
  })

  test('any HTTP status is an answer', async () => {
    const url = await listen((_req, res) => {
      res.statusCode = 404
      res.end('no')
    })
    await expect(preflight(target({ one: url }), quiet)).resolves.toBeUndefined()
  })
})

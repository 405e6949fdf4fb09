import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ConformError } from '../../src/errors.ts'
import { Transport } from '../../src/transport/index.ts'

let server: Server
let base = ''
const starts: number[] = []
beforeAll(async () => {
  server = createServer((req, res) => {
    starts.push(performance.now())
    if (req.url === '/hang') return // never answers
    if (req.url === '/big') {
      res.end('x'.repeat(50_000))
      return
    }
    if (req.url === '/latin1') {
      res.end(Buffer.from([0x63, 0x61, 0x66, 0xe9]))
      return
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

describe('transport', () => {
  test('a deadline on every request: a target that never answers fails as transport, on time', async () => {
    const t = new Transport({ timeoutMs: 300, maxBodyBytes: 1000, connections: 2 })
    const started = performance.now()
    const err = await t.send({ method: 'GET', url: `${base}/hang`, headers: {} }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConformError)
    expect((err as ConformError).code).toBe('TRANSPORT_TIMEOUT')
    expect(performance.now() - started).toBeLessThan(2000)
    await t.close()
  })
  test('a size cap on every answer', async () => {
    const t = new Transport({ timeoutMs: 2000, maxBodyBytes: 10_000, connections: 2 })
    const err = await t.send({ method: 'GET', url: `${base}/big`, headers: {} }).catch((e: unknown) => e)
    expect((err as ConformError).code).toBe('TRANSPORT_TOO_LARGE')
    await t.close()
  })
  test('an answer that is not UTF-8 is a transport failure, not mojibake', async () => {
    const t = new Transport({ timeoutMs: 2000, maxBodyBytes: 10_000, connections: 2 })
    const err = await t.send({ method: 'GET', url: `${base}/latin1`, headers: {} }).catch((e: unknown) => e)
    expect((err as ConformError).code).toBe('TRANSPORT_INVALID_UTF8')
    await t.close()
  })
  test('requestsPerSecond paces request starts', async () => {
    const t = new Transport({ timeoutMs: 2000, maxBodyBytes: 10_000, connections: 8, requestsPerSecond: 20 })
    starts.length = 0
    await Promise.all(Array.from({ length: 6 }, () => t.send({ method: 'GET', url: `${base}/`, headers: {} })))
    const span = starts[starts.length - 1]! - starts[0]!
    expect(span).toBeGreaterThanOrEqual(5 * 50 - 15) // 6 starts, 50 ms apart
    await t.close()
  })
})

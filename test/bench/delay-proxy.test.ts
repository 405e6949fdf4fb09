import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startDelayProxy, type DelayProxy } from '../../bench/lib/delay-proxy.ts'

/** The latency mode's network: bytes relayed as they are, each way no sooner than the delay. */
let server: Server
let proxy: DelayProxy
beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => res.end(`${req.method} ${req.url} ${Buffer.concat(chunks).toString('utf8')}`))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  proxy = await startDelayProxy({ host: '127.0.0.1', port: (server.address() as AddressInfo).port }, 40)
})
afterAll(async () => {
  await proxy.close()
  server.closeAllConnections()
  server.close()
})

test('an exchange through the proxy: intact, one round trip (two delays) later at least, and a handshake more on a new connection', async () => {
  const body = 'é'.repeat(70_000)
  const t0 = performance.now()
  const first = await request(`${proxy.url}/a?x=1`, { method: 'POST', body })
  expect(await first.body.text()).toBe(`POST /a?x=1 ${body}`)
  // A new connection: its first bytes wait for the handshake's round trip too (3 delays), the answer one more.
  expect(performance.now() - t0).toBeGreaterThanOrEqual(4 * 40 - 1)
  const t1 = performance.now()
  const again = await request(`${proxy.url}/b`, { method: 'GET' })
  expect(await again.body.text()).toBe('GET /b ')
  expect(performance.now() - t1).toBeGreaterThanOrEqual(2 * 40 - 1)
  expect(proxy.connections).toBeGreaterThanOrEqual(1)
})

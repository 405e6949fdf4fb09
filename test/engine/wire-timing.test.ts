import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { Transport, wireTimeOf } from '../../src/transport/index.ts'

/**
 * What the record says of a request's time is its time on the wire: from when it left (a request slot held) to its
 * answer, not the wait for a slot before it. The run's load figures (src/report/load.ts) add these up.
 */
let server: Server
let base = ''
const held: ServerResponse[] = []
let arrived: () => void = () => {}
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/broken') {
      res.socket?.destroy()
      return
    }
    if (req.url === '/held') {
      held.push(res)
      arrived()
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

test('an answer carries when its request left and how long it was in flight; a request that waited for the slot left after the first answer', async () => {
  const t = new Transport({ timeoutMs: 5000, maxBodyBytes: 1000, connections: 1 })
  const came = new Promise<void>((r) => {
    arrived = r
  })
  const first = t.send({ method: 'GET', url: `${base}/held`, headers: {} })
  const second = t.send({ method: 'GET', url: `${base}/quick`, headers: {} })
  await came
  // The second waits for the one slot while the first is held.
  await new Promise((r) => setTimeout(r, 30))
  const released = Date.now()
  held.shift()!.end('late')
  const [a, b] = await Promise.all([first, second])
  expect(a.sent).toBeDefined()
  expect(b.sent).toBeDefined()
  // The first was in flight until it was released; the second left only then (its start is recorded to the ms).
  expect(Date.parse(a.sent!.startedAt) + a.sent!.durationMs).toBeGreaterThanOrEqual(released - 1)
  expect(Date.parse(b.sent!.startedAt)).toBeGreaterThanOrEqual(released - 1)
  expect(b.sent!.durationMs).toBeLessThan(Date.now() - Date.parse(a.sent!.startedAt))
  await t.close()
})

test('a request that failed: its error carries when it left and how long it was out, the wait for the slot left out too', async () => {
  const t = new Transport({ timeoutMs: 5000, maxBodyBytes: 1000, connections: 1 })
  const came = new Promise<void>((r) => {
    arrived = r
  })
  const first = t.send({ method: 'GET', url: `${base}/held`, headers: {} })
  const second = t.send({ method: 'GET', url: `${base}/broken`, headers: {} }).catch((e: unknown) => e)
  await came
  await new Promise((r) => setTimeout(r, 30))
  const released = Date.now()
  held.shift()!.end('late')
  await first
  const failed = await second
  const wire = wireTimeOf(failed)
  expect(wire).toBeDefined()
  // It left only once the first answer freed the slot, not when it was asked for.
  expect(Date.parse(wire!.startedAt)).toBeGreaterThanOrEqual(released - 1)
  expect(wireTimeOf(new Error('not from the transport'))).toBeUndefined()
  await t.close()
})

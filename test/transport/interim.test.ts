import { createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { interimAtStart, MAX_INTERIM_BYTES } from '../../src/net/interim.ts'
import { Transport } from '../../src/transport.ts'

/**
 * 1xx answers before the final one are skipped, as HTTP says (RFC 9110 §15.2): 103 Early Hints by undici itself,
 * 100 Continue (which undici 8 takes for a broken answer when it did not ask for one) by src/net/interim.ts.
 * A raw loopback server writes the bytes; each request's path says what comes before its answer.
 */

const answer = (body: string) => `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
const BEFORE: Record<string, string[]> = {
  '/plain': [],
  '/continue': ['HTTP/1.1 100 Continue\r\n\r\n'],
  '/early-hints': ['HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n'],
  '/both': ['HTTP/1.1 100 Continue\r\n\r\n', 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n', 'HTTP/1.0 100 Continue\r\nX-Odd: 1\r\n\r\n'],
  // The interim answer arrives in pieces: "HT", "TP/1.1 10", "0 Continue\r", "\n\r\n".
  '/split': ['HT', 'TP/1.1 10', '0 Continue\r', '\n\r\n'],
}

let server: Server
let base: string
beforeAll(async () => {
  server = createServer((socket: Socket) => {
    let buffered = ''
    socket.on('data', (d) => {
      buffered += d.toString('latin1')
      // One request at a time on a connection (keep-alive): answer each complete head.
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const path = buffered.split(' ')[1] ?? '/'
        buffered = buffered.slice(end + 4)
        const pieces = [...(BEFORE[path.replace(/\?.*/, '')] ?? []), answer(path === '/body-like-continue' ? 'HTTP/1.1 100 Continue\r\n\r\nstill the body' : `answer to ${path}`)]
        // Each piece written on its own turn of the event loop, so that the client reads them apart.
        const next = () => {
          const piece = pieces.shift()
          if (piece === undefined || socket.destroyed) return
          socket.write(piece, () => setImmediate(next))
        }
        next()
      }
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(() => { server.close() })

describe('interim answers are skipped', () => {
  test.for(Object.keys(BEFORE))('%s: the final answer, as if nothing came before it', async (path) => {
    const transport = new Transport({ timeoutMs: 3000, maxBodyBytes: 100_000, connections: 1 })
    try {
      const got = await transport.send({ method: 'GET', url: `${base}${path}`, headers: {} })
      expect(got).toMatchObject({ status: 200, body: `answer to ${path}` })
    } finally {
      await transport.close()
    }
  })

  test('on a kept-alive connection, before every answer (one socket, five requests, POSTs with bodies among them)', async () => {
    const transport = new Transport({ timeoutMs: 3000, maxBodyBytes: 100_000, connections: 1 })
    try {
      for (const path of ['/continue', '/plain', '/both', '/continue', '/split']) {
        const got = await transport.send({ method: 'POST', url: `${base}${path}`, headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(10) })
        expect(got.body).toBe(`answer to ${path}`)
      }
    } finally {
      await transport.close()
    }
  })

  test('a body that looks like a 100 answer is the body, untouched', async () => {
    const transport = new Transport({ timeoutMs: 3000, maxBodyBytes: 100_000, connections: 1 })
    try {
      const got = await transport.send({ method: 'GET', url: `${base}/body-like-continue`, headers: {} })
      expect(got.body).toBe('HTTP/1.1 100 Continue\r\n\r\nstill the body')
    } finally {
      await transport.close()
    }
  })
})

describe('interimAtStart', () => {
  const at = (s: string) => interimAtStart(Buffer.from(s, 'latin1'))
  test('drops a complete 100 answer, head and all', () => {
    expect(at('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK')).toEqual({ drop: 'HTTP/1.1 100 Continue\r\n\r\n'.length })
    expect(at('HTTP/1.0 100\r\nX: y\r\n\r\n')).toEqual({ drop: 'HTTP/1.0 100\r\nX: y\r\n\r\n'.length })
  })
  test('waits while the start could still be a 100', () => {
    for (const s of ['H', 'HTTP/1.1', 'HTTP/1.1 100', 'HTTP/1.1 100 Continue\r\n']) expect(at(s), s).toEqual({ wait: true })
  })
  test('drops the other interim answers too (what follows a 103 may be a 100 again)', () => {
    for (const head of ['HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n', 'HTTP/1.1 102 Processing\r\n\r\n']) {
      expect(at(`${head}HTTP/1.1 200 OK\r\n`)).toEqual({ drop: head.length })
    }
  })
  test('keeps every other start: final answers, 101 (undici\'s), 1000, a 100 too long to be one', () => {
    for (const s of ['HTTP/1.1 200 OK\r\n', 'HTTP/1.1 101 Switching Protocols\r\n\r\n', 'HTTP/1.1 1000 x', 'garbage', 'HTTP/2 100', 'HTTP/1.2 100 x']) expect(at(s), s).toEqual({ keep: true })
    expect(at(`HTTP/1.1 100 Continue\r\nX: ${'a'.repeat(MAX_INTERIM_BYTES)}`)).toEqual({ keep: true })
  })
})

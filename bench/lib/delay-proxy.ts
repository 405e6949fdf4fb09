/**
 * A loopback TCP proxy that puts a network between the suite and a target: every chunk is held `delayMs` in each
 * direction (so a request's round trip costs 2 × delayMs more), in order, and a new connection's first bytes wait
 * two more one-way delays (the TCP handshake's round trip before the client could send). Bytes are relayed as they
 * are: any protocol over TCP, nothing parsed. Bandwidth is not limited.
 */
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net'

export interface DelayProxy {
  /** `http://127.0.0.1:PORT`. */
  url: string
  /** Connections opened so far. */
  readonly connections: number
  close(): Promise<void>
}

/** Relays `from` to `to`, each chunk (and the end) `delayMs` after it arrived, not before `notBefore()`. */
function delayed(from: Socket, to: Socket, delayMs: number, notBefore: () => number): void {
  // Timers of one duration fire in the order they were set, so chunks keep their order; the handshake wait is
  // applied by holding chunks in a queue until the first may go.
  const queue: Array<{ at: number; chunk?: Buffer }> = []
  let timer: NodeJS.Timeout | undefined
  const flush = () => {
    timer = undefined
    const now = performance.now()
    while (queue.length && queue[0]!.at <= now + 0.5) {
      const { chunk } = queue.shift()!
      if (chunk === undefined) to.end()
      else if (!to.destroyed) to.write(chunk)
    }
    if (queue.length) timer = setTimeout(flush, queue[0]!.at - now)
  }
  const push = (chunk?: Buffer) => {
    queue.push({ at: Math.max(performance.now() + delayMs, notBefore()), ...(chunk ? { chunk } : {}) })
    timer ??= setTimeout(flush, queue[0]!.at - performance.now())
  }
  let ended = false
  const end = () => {
    if (ended) return
    ended = true
    push()
  }
  from.on('data', (c: Buffer) => push(c))
  from.on('end', end)
  from.on('close', end)
  to.on('close', () => {
    if (timer) clearTimeout(timer)
    queue.length = 0
  })
}

export async function startDelayProxy(target: { host: string; port: number }, delayMs: number): Promise<DelayProxy> {
  let connections = 0
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    connections++
    const opened = performance.now()
    const upstream = createConnection(target)
    for (const s of [client, upstream]) {
      s.setNoDelay(true)
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => {
        client.destroy()
        upstream.destroy()
      })
    }
    // The client's first bytes reach the target after the handshake's round trip and their own way: 3 one-way delays.
    delayed(client, upstream, delayMs, () => opened + 3 * delayMs)
    delayed(upstream, client, delayMs, () => 0)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return connections
    },
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

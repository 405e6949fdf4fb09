import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { request } from 'undici'
import { MISBEHAVIOURS, prepareBombs, type Misbehaviour } from './behaviours.ts'

/** Marks a call that must be answered with a misbehaviour: `hostile-<name>@…` anywhere in its URL or body. */
export const marker = (name: string) => `hostile-${name}@example.com`
const MARKER = /hostile-([a-z0-9-]+)(?:@|%40)/

export interface HostileServer {
  url: string
  /** How many calls each misbehaviour answered. */
  hits: Map<string, number>
  close(): Promise<void>
}

/**
 * A hostile target on loopback: a call whose URL or body carries a marker gets the named misbehaviour; every other
 * request is passed to `upstream` (a real reference), so logins, snapshots, read-backs and restores work.
 */
export async function startHostile(upstream: string): Promise<HostileServer> {
  prepareBombs()
  const byName = new Map<string, Misbehaviour>(MISBEHAVIOURS.map((m) => [m.name, m]))
  const hits = new Map<string, number>()
  const sockets = new Set<Socket>()
  const server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const name = MARKER.exec(`${req.url ?? ''} ${body.toString('utf8')}`)?.[1]
      const m = name ? byName.get(name) : undefined
      if (name && !m) {
        res.writeHead(400).end(`unknown misbehaviour ${name}`)
        return
      }
      if (m) {
        hits.set(m.name, (hits.get(m.name) ?? 0) + 1)
        m.act(req, res)
        return
      }
      forward(upstream, req, body, res)
    })
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}

const HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'])

function forward(upstream: string, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !HOP.has(k)))
  request(`${upstream}${req.url ?? '/'}`, { method: req.method as 'GET', headers, body: body.length ? body : null })
    .then(async (r) => {
      const answer = Buffer.from(await r.body.arrayBuffer())
      res.writeHead(r.statusCode, Object.fromEntries(Object.entries(r.headers).filter(([k]) => !HOP.has(k))))
      res.end(answer)
    })
    .catch((e: unknown) => {
      res.writeHead(502).end(String(e))
    })
}

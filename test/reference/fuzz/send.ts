import { connect } from 'node:net'
import { type Agent, request } from 'undici'
import type { WireCase } from './recipes.ts'

export interface Answer {
  status?: number
  headers: Record<string, string>
  body: string
  ms: number
  error?: string
}

/** Sends a case over HTTP (undici), or over a raw socket when the case needs bytes undici will not write. */
export async function send(agent: Agent, base: string, c: WireCase, limitMs: number): Promise<Answer> {
  const t0 = performance.now()
  if (c.truncateBody !== undefined) return raw(base, c, limitMs, t0)
  try {
    const res = await request(`${base}${c.path}`, {
      method: c.method as 'GET',
      headers: c.headers,
      body: c.body ?? null,
      dispatcher: agent,
      signal: AbortSignal.timeout(limitMs),
    })
    const body = await res.body.text()
    const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]))
    return { status: res.statusCode, headers, body, ms: performance.now() - t0 }
  } catch (e) {
    const err = e as { code?: string; name?: string; message?: string }
    return { headers: {}, body: '', ms: performance.now() - t0, error: `${err.code ?? err.name}: ${err.message ?? ''}` }
  }
}

/** Writes the request by hand: the full Content-Length, then only `truncateBody` bytes, then a half-close. */
function raw(base: string, c: WireCase, limitMs: number, t0: number): Promise<Answer> {
  const { hostname, port } = new URL(base)
  return new Promise((done) => {
    const socket = connect(Number(port), hostname)
    const chunks: Buffer[] = []
    const finish = (error?: string) => {
      clearTimeout(timer)
      socket.destroy()
      const text = Buffer.concat(chunks).toString('latin1')
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1]
      const split = text.indexOf('\r\n\r\n')
      done({
        ...(status ? { status: Number(status) } : {}),
        headers: {},
        body: split < 0 ? '' : text.slice(split + 4),
        ms: performance.now() - t0,
        ...(error && !status ? { error } : {}),
      })
    }
    const timer = setTimeout(() => finish('no answer and no close within the limit'), limitMs)
    socket.on('data', (d: Buffer) => chunks.push(d))
    socket.on('error', () => finish())
    socket.on('close', () => finish())
    socket.on('connect', () => {
      const body = c.body ?? Buffer.alloc(0)
      const lines = [
        `${c.method} ${c.path} HTTP/1.1`,
        `Host: ${hostname}:${port}`,
        'Connection: close',
        ...Object.entries(c.headers).map(([k, v]) => `${k}: ${v}`),
      ]
      if (c.body) lines.push(`Content-Length: ${body.length}`)
      socket.write(`${lines.join('\r\n')}\r\n\r\n`)
      socket.end(body.subarray(0, c.truncateBody))
    })
  })
}

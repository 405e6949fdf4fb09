import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'
import { operationOf } from './staging.ts'

/** One request as it reached the proxy. */
export interface Arrival {
  n: number
  operation: string
  /** Its URL and body as text (percent-decoded): to tell whose request it was. */
  sent: string
  /** How many answers the proxy had given when it arrived (`answered.slice(0, answersBefore)`). */
  answersBefore: number
  /** Requests in flight once it arrived, itself included. */
  inFlight: number
}

/**
 * A proxy in front of a target that records, per request, when it arrived relative to the answers given, and can hold
 * an answer (`hold`) until other requests have arrived: what ran at the same time is then shown by order, not by time.
 */
export class HoldingProxy {
  url = ''
  readonly arrivals: Arrival[] = []
  /** The `n` of each request answered, in the order the answers were given. */
  readonly answered: number[] = []
  inFlight = 0
  maxInFlight = 0
  /** Called once the upstream answered a request; its answer waits for the promise. */
  hold: ((a: Arrival) => Promise<void> | void) | undefined
  /** Requests for which the connection is dropped instead of answered (a base URL that cannot be reached). */
  drop: ((a: Arrival) => boolean) | undefined
  private server!: Server
  private readonly watchers = new Set<() => void>()

  private readonly upstream: string

  constructor(upstream: string) {
    this.upstream = upstream
  }

  /** Forgets what it saw (between tests, with nothing in flight). */
  reset(): void {
    this.arrivals.length = 0
    this.answered.length = 0
    this.maxInFlight = 0
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.relay(req, res))
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  private async relay(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    const inFlight = this.inFlight
    const answersBefore = this.answered.length
    let done = false
    const finish = () => {
      if (done) return
      done = true
      this.inFlight--
    }
    res.on('close', finish)
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks)
    const text = body.toString('utf8')
    let sent = `${req.url ?? '/'}\n${text}`
    try {
      sent = decodeURIComponent(sent.replace(/\+/g, ' '))
    } catch {
      // as sent
    }
    const arrival: Arrival = { n: this.arrivals.length + 1, operation: operationOf(req, text), sent, answersBefore, inFlight }
    this.arrivals.push(arrival)
    for (const w of [...this.watchers]) w()
    if (this.drop?.(arrival)) {
      this.answered.push(arrival.n)
      finish()
      req.socket.destroy()
      return
    }
    try {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)))
      const r = await request(`${this.upstream}${req.url ?? '/'}`, { method: req.method as 'GET', headers, body: body.length ? body : null })
      const answer = Buffer.from(await r.body.arrayBuffer())
      await this.hold?.(arrival)
      if (res.destroyed) return
      res.writeHead(
        r.statusCode,
        Object.fromEntries(Object.entries(r.headers).filter(([k]) => !['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(k))),
      )
      // Counted answered (and out of flight) before the client can see it: the next request it sends comes after.
      this.answered.push(arrival.n)
      finish()
      res.end(answer)
    } catch (e) {
      this.answered.push(arrival.n)
      finish()
      if (!res.headersSent) res.writeHead(502)
      res.end(String(e))
    }
  }

  /**
   * Resolves 'met' as soon as `ready` holds for the requests arrived so far, or 'not met' after `giveUpMs` (only so that
   * a broken order ends the test instead of hanging it; passing never depends on how long anything took).
   */
  until(ready: (arrivals: readonly Arrival[]) => boolean, giveUpMs: number): Promise<'met' | 'not met'> {
    if (ready(this.arrivals)) return Promise.resolve('met')
    return new Promise((resolve) => {
      const check = () => {
        if (!ready(this.arrivals)) return
        this.watchers.delete(check)
        clearTimeout(timer)
        resolve('met')
      }
      const timer = setTimeout(() => {
        this.watchers.delete(check)
        resolve('not met')
      }, giveUpMs)
      this.watchers.add(check)
    })
  }

  /**
   * Each request's round trip: 1 for one sent before any answer came, else one more than the latest round trip among
   * the answers given before it arrived.
   */
  waves(): Map<number, number> {
    const wave = new Map<number, number>()
    for (const a of this.arrivals) {
      let w = 1
      for (const n of this.answered.slice(0, a.answersBefore)) w = Math.max(w, (wave.get(n) ?? 0) + 1)
      wave.set(a.n, w)
    }
    return wave
  }

  close(): void {
    this.server.closeAllConnections()
    this.server.close()
  }
}

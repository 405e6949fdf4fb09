import { getGlobalDispatcher, type Dispatcher } from 'undici'
import { ConformError } from '../errors.ts'
import { exchange } from '../transport/exchange.ts'
import type { Token } from './authenticate.ts'
import type { ControlRecorder } from './fixtures.ts'

/**
 * A capability some targets offer: expiring a session on demand, so that a check can present a ticket that has
 * expired (IE-7) without waiting out its lifetime. A target without it skips such checks as not verified.
 */
export interface SessionControl {
  expire(token: Token, record?: ControlRecorder): Promise<void>
}

/** The embedded reference's: `POST /__reference/<api>/sessions/expiry {ticket}` on its control endpoint. */
export class ReferenceSessionControl implements SessionControl {
  private readonly api: string
  private readonly control: { url: string; key: string }
  private readonly timeoutMs: number
  private readonly dispatcher: Dispatcher | undefined

  constructor(api: string, control: { url: string; key: string }, timeoutMs: number, dispatcher?: Dispatcher) {
    this.api = api
    this.control = control
    this.timeoutMs = timeoutMs
    this.dispatcher = dispatcher
  }

  async expire(token: Token, record?: ControlRecorder): Promise<void> {
    if (typeof token !== 'string')
      throw new ConformError('NO_SESSION', 'setup', `only a session ticket can be expired, and ${this.api} authenticates with credentials`)
    const path = `/__reference/${this.api}/sessions/expiry`
    const request = {
      method: 'POST' as const,
      url: `${this.control.url}${path}`,
      headers: { 'content-type': 'application/json', 'x-reference-control': this.control.key },
      body: JSON.stringify({ ticket: token }),
    }
    const startedAt = new Date().toISOString()
    const t0 = performance.now()
    const got = await exchange(this.dispatcher ?? getGlobalDispatcher(), request, this.timeoutMs)
    const text = got.body.toString('utf8')
    record?.({
      operation: `reference control: POST ${path}`,
      startedAt,
      durationMs: Math.round(performance.now() - t0),
      request,
      response: { status: got.status, headers: got.headers, body: text },
    })
    if (got.status !== 204)
      throw new ConformError('SESSION_NOT_EXPIRED', 'setup', `the reference did not expire the caller's session (HTTP ${got.status}: ${text.slice(0, 200)})`)
  }
}

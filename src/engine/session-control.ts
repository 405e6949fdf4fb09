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
  /** Throws (category transport or setup: exit 3) when it could not expire one: before any check counts on it. */
  check(): Promise<void>
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

  /** The control endpoint answers and takes its key: a read of the reference's stats (nothing changes). */
  async check(): Promise<void> {
    const where = `the reference control endpoint ${this.control.url} (referenceControl), which expires ${this.api}'s sessions for its checks of expired sessions,`
    let status: number
    try {
      status = (
        await exchange(
          this.dispatcher ?? getGlobalDispatcher(),
          { method: 'GET', url: `${this.control.url}/__reference/stats`, headers: { 'x-reference-control': this.control.key } },
          this.timeoutMs,
        )
      ).status
    } catch (e) {
      throw new ConformError('SESSION_CONTROL_UNREACHABLE', 'transport', `${where} could not be reached: ${(e as Error).message}`)
    }
    if (status === 403) throw new ConformError('SESSION_CONTROL_REFUSED', 'setup', `${where} refused its key: check the variable referenceControl.key names`)
    if (status !== 200)
      throw new ConformError(
        'SESSION_CONTROL_REFUSED',
        'setup',
        `${where} answered HTTP ${status} to a read of its stats: is it a reference served by conform serve?`,
      )
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

import type { Dispatcher } from 'undici'
import { ConformError } from '../errors.ts'
import { createDispatcher, type NetworkSettings } from '../net/dispatcher.ts'
import { networkFailure } from '../net/failure.ts'
import type { WireAnswer, WireRequest } from '../bindings/types.ts'
import { DEFAULT_RETRY, withRetries } from './retry.ts'
import { Slots } from './slots.ts'
import type { TargetLink } from './link.ts'
import { exchange } from './exchange.ts'

export interface TransportLimits {
  /** Deadline for one whole exchange, connect to last byte. */
  timeoutMs: number
  /** Answers larger than this are cut off and fail the check. */
  maxBodyBytes: number
  /** Sockets per origin. */
  connections: number
  /** Requests started per second at most (staging rate limits); absent: no pacing. */
  requestsPerSecond?: number
  /** Times a 429/503 with Retry-After is retried (default 2). */
  retries?: number
  /** The longest Retry-After waited for (default 30 s). */
  maxRetryWaitMs?: number
}

export const DEFAULT_LIMITS: TransportLimits = { timeoutMs: 10_000, maxBodyBytes: 5_000_000, connections: 8 }

export interface Exchange {
  startedAt: string
  durationMs: number
  request: WireRequest
  answer?: WireAnswer
  error?: { code: string; message: string }
}

/** Sends wire requests; every exchange has a deadline and a size cap, and is handed to the recorder. */
export class Transport {
  private readonly agent: Dispatcher
  private readonly limits: TransportLimits
  private readonly onExchange: (e: Exchange) => void
  private readonly network: NetworkSettings
  /** When the next request may start (performance.now()), and the queue of requests waiting for their turn. */
  private nextStart = 0
  private turns: Promise<void> = Promise.resolve()
  /** Requests in flight at most (undici's per-origin cap does not see other clients' requests, nor other origins). */
  private readonly slots: Slots
  private readonly ownsAgent: boolean

  /**
   * `network`: the target's TLS material and proxies; absent, straight to the target with Node's roots. `link`: the
   * request slots and connections a run keeps to its target (link.ts), shared with its other clients (the preflight),
   * so that all of them together keep its concurrency and reuse its connections; absent, a gate of
   * `limits.connections` and connections of its own (closed with the transport; a link's are its owner's to close).
   */
  constructor(limits: TransportLimits, onExchange: (e: Exchange) => void = () => {}, network: NetworkSettings = {}, link?: TargetLink) {
    this.limits = limits
    this.onExchange = onExchange
    this.network = network
    this.slots = link?.slots ?? new Slots(limits.connections)
    this.agent =
      link?.dispatcher ?? createDispatcher({ connections: limits.connections, timeoutMs: limits.timeoutMs, maxBodyBytes: limits.maxBodyBytes }, network)
    this.ownsAgent = link === undefined
  }

  /** For the run's other HTTP users (provisioning), so that they share its TLS and proxy settings. */
  get dispatcher(): Dispatcher {
    return this.agent
  }

  /**
   * Spaces request starts 1/rps apart; concurrency still applies within the pace. Requests take their turns one after
   * another, each measured from when the one before it actually left: with every turn booked ahead on a timer of its
   * own, a stalled event loop (a module load, a long parse) would let all the turns it overran leave at once.
   */
  private pace(): Promise<void> {
    const rps = this.limits.requestsPerSecond
    if (!rps) return Promise.resolve()
    const turn = this.turns.then(async () => {
      const wait = this.nextStart - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      this.nextStart = performance.now() + 1000 / rps
    })
    this.turns = turn
    return turn
  }

  /**
   * Runs one request under the target's limits: a concurrency slot first, then the pace. Requests made by other
   * clients (node-soap) go through here too. The deadline of a request starts when it is sent, not while it waits.
   */
  gate<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.slots.run(async () => {
      await this.pace()
      return fn()
    }, signal)
  }

  /** One exchange, with 429/503 Retry-After honoured (retries recorded on the answer); `deadlineAt` bounds the waits. */
  async send(req: WireRequest, signal?: AbortSignal, deadlineAt?: number): Promise<WireAnswer> {
    const policy = { retries: this.limits.retries ?? DEFAULT_RETRY.retries, maxWaitMs: this.limits.maxRetryWaitMs ?? DEFAULT_RETRY.maxWaitMs }
    const url = new URL(req.url)
    return withRetries(() => this.gate(() => this.sendOnce(req, signal), signal), policy, {
      where: `${req.method} ${url.origin}${url.pathname}`,
      ...(signal ? { signal } : {}),
      ...(deadlineAt !== undefined ? { deadlineAt } : {}),
    })
  }

  private async sendOnce(req: WireRequest, signal?: AbortSignal): Promise<WireAnswer> {
    const started = performance.now()
    const startedAt = new Date().toISOString()
    try {
      const got = await exchange(this.agent, req, this.limits.timeoutMs, signal, (status, headers) => refusal(status, headers, req))
      const durationMs = performance.now() - started
      const answer: WireAnswer = { status: got.status, headers: got.headers, body: decodeUtf8(got.body, req), sent: { startedAt, durationMs } }
      this.onExchange({ startedAt, durationMs, request: req, answer })
      return answer
    } catch (e) {
      const err = transportError(e, req, this.limits, this.network)
      const durationMs = performance.now() - started
      failedOnWire.set(err, { startedAt, durationMs })
      this.onExchange({ startedAt, durationMs, request: req, error: { code: err.code, message: err.message } })
      throw err
    }
  }

  async close(): Promise<void> {
    if (this.ownsAgent) await this.agent.close()
  }
}

/** When a request that failed left, and how long it was out, by its error (its class and identity kept as they are). */
const failedOnWire = new WeakMap<object, NonNullable<WireAnswer['sent']>>()

/** The time on the wire of the request an error is about, when the transport sent one: not its wait for a slot. */
export function wireTimeOf(error: unknown): WireAnswer['sent'] {
  return typeof error === 'object' && error !== null ? failedOnWire.get(error) : undefined
}

const where = (req: WireRequest) => `${req.method} ${new URL(req.url).origin}${new URL(req.url).pathname}`

const UTF8 = new TextDecoder('utf-8', { fatal: true })

function decodeUtf8(bytes: Buffer, req: WireRequest): string {
  try {
    return UTF8.decode(bytes)
  } catch {
    throw new ConformError('TRANSPORT_INVALID_UTF8', 'transport', `${where(req)}: the answer is not valid UTF-8`)
  }
}

/** Answers not worth reading: redirects (never followed) and encoded bodies (never asked for). */
function refusal(status: number, headers: Record<string, string>, req: WireRequest): ConformError | undefined {
  if (status >= 300 && status < 400 && headers.location !== undefined) {
    return new ConformError(
      'TRANSPORT_REDIRECT',
      'transport',
      `${where(req)}: HTTP ${status} redirect to ${headers.location.slice(0, 200)}; redirects are not followed (is the baseUrl the final address?)`,
    )
  }
  const encoding = headers['content-encoding']?.trim().toLowerCase()
  if (encoding && encoding !== 'identity') {
    return new ConformError(
      'TRANSPORT_ENCODING',
      'transport',
      `${where(req)}: the answer has Content-Encoding "${encoding.slice(0, 50)}" though the request accepted only identity; it is not decoded`,
    )
  }
  return undefined
}

/** undici codes of an answer that breaks HTTP/1.1 framing. */
const NOT_HTTP = new Set(['UND_ERR_HEADERS_OVERFLOW', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'UND_ERR_INFO'])

function transportError(e: unknown, req: WireRequest, limits: TransportLimits, network: NetworkSettings): ConformError {
  if (e instanceof ConformError) return e
  const err = e as { code?: string; name?: string; message?: string; cause?: { code?: string } }
  const code = err.code ?? err.cause?.code ?? err.name ?? 'UNKNOWN'
  const at = where(req)
  // TLS and proxy failures first: a reset during a handshake is a certificate problem, not a closed connection.
  const net = networkFailure(e, new URL(req.url), network)
  if (net) return new ConformError(net.code, 'transport', `${at}: ${net.message}`)
  if (err.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new ConformError('TRANSPORT_TIMEOUT', 'transport', `${at}: no complete answer within the ${limits.timeoutMs} ms deadline`)
  }
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
    return new ConformError('TRANSPORT_TOO_LARGE', 'transport', `${at}: the answer exceeds the ${limits.maxBodyBytes}-byte cap`)
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') {
    return new ConformError('TRANSPORT_UNREACHABLE', 'transport', `${at}: the target could not be reached (${code})`)
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET') {
    return new ConformError(
      'TRANSPORT_CLOSED',
      'transport',
      `${at}: the connection was ${code === 'UND_ERR_SOCKET' ? 'closed' : 'reset'} by the target before the answer was complete`,
    )
  }
  if (NOT_HTTP.has(code) || err.name === 'HTTPParserError' || code.startsWith('HPE_')) {
    return new ConformError('TRANSPORT_NOT_HTTP', 'transport', `${at}: the answer is not HTTP/1.1 (${err.message ?? code})`)
  }
  if (err.name === 'AbortError') return new ConformError('TRANSPORT_ABORTED', 'transport', `${at}: the request was cancelled`)
  return new ConformError('TRANSPORT_FAILED', 'transport', `${at}: ${code}: ${err.message ?? 'unknown error'}`)
}

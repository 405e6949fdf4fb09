import { Agent, request } from 'undici'
import { ConformError } from './errors.ts'
import type { WireAnswer, WireRequest } from './bindings/types.ts'

export interface TransportLimits {
  /** Deadline for one whole exchange, connect to last byte. */
  timeoutMs: number
  /** Answers larger than this are cut off and fail the check. */
  maxBodyBytes: number
  /** Sockets per origin. */
  connections: number
  /** Requests started per second at most (staging rate limits); absent: no pacing. */
  requestsPerSecond?: number
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
  private readonly agent: Agent
  private readonly limits: TransportLimits
  private readonly onExchange: (e: Exchange) => void
  private nextSlot = 0

  constructor(limits: TransportLimits, onExchange: (e: Exchange) => void = () => {}) {
    this.limits = limits
    this.onExchange = onExchange
    // headers/body timeouts are coarse safety nets; the AbortSignal below is the precise deadline.
    this.agent = new Agent({
      connections: limits.connections,
      headersTimeout: limits.timeoutMs + 1000,
      bodyTimeout: limits.timeoutMs + 1000,
      connect: { timeout: limits.timeoutMs },
      maxResponseSize: limits.maxBodyBytes,
    })
  }

  /** Spaces request starts 1/rps apart; concurrency still applies within the pace. Clients that send on their own (node-soap) call it too. */
  async pace(): Promise<void> {
    const rps = this.limits.requestsPerSecond
    if (!rps) return
    const now = performance.now()
    const slot = Math.max(now, this.nextSlot)
    this.nextSlot = slot + 1000 / rps
    if (slot > now) await new Promise((r) => setTimeout(r, slot - now))
  }

  async send(req: WireRequest, signal?: AbortSignal): Promise<WireAnswer> {
    await this.pace()
    const started = performance.now()
    const startedAt = new Date().toISOString()
    const deadline = AbortSignal.timeout(this.limits.timeoutMs)
    try {
      const res = await request(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        dispatcher: this.agent,
        signal: signal ? AbortSignal.any([deadline, signal]) : deadline,
      })
      const bytes = Buffer.from(await res.body.arrayBuffer())
      const headers: Record<string, string> = {}
      for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
      const answer: WireAnswer = { status: res.statusCode, headers, body: decodeUtf8(bytes) }
      this.onExchange({ startedAt, durationMs: performance.now() - started, request: req, answer })
      return answer
    } catch (e) {
      const err = transportError(e, req, this.limits)
      this.onExchange({ startedAt, durationMs: performance.now() - started, request: req, error: { code: err.code, message: err.message } })
      throw err
    }
  }

  async close(): Promise<void> {
    await this.agent.close()
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true })

function decodeUtf8(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes)
  } catch {
    throw new ConformError('TRANSPORT_INVALID_UTF8', 'transport', 'the answer is not valid UTF-8')
  }
}

function transportError(e: unknown, req: WireRequest, limits: TransportLimits): ConformError {
  if (e instanceof ConformError) return e
  const err = e as { code?: string; name?: string; message?: string; cause?: { code?: string } }
  const code = err.code ?? err.cause?.code ?? err.name ?? 'UNKNOWN'
  const where = `${req.method} ${new URL(req.url).origin}${new URL(req.url).pathname}`
  if (err.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new ConformError('TRANSPORT_TIMEOUT', 'transport', `${where}: no complete answer within the ${limits.timeoutMs} ms deadline`)
  }
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
    return new ConformError('TRANSPORT_TOO_LARGE', 'transport', `${where}: the answer exceeds the ${limits.maxBodyBytes}-byte cap`)
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') {
    return new ConformError('TRANSPORT_UNREACHABLE', 'transport', `${where}: the target could not be reached (${code})`)
  }
  if (err.name === 'AbortError') return new ConformError('TRANSPORT_ABORTED', 'transport', `${where}: the request was cancelled`)
  return new ConformError('TRANSPORT_FAILED', 'transport', `${where}: ${code}: ${err.message ?? 'unknown error'}`)
}

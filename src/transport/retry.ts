import type { WireAnswer } from '../bindings/types.ts'
import { ConformError } from '../errors.ts'

/**
 * 429 Too Many Requests and 503 Service Unavailable with a `Retry-After` are honoured: the request is sent again
 * after the wait, a bounded number of times, never for longer than a cap nor past the check's deadline. Every retry
 * is recorded on the answer, so reports can show it; a limit reached is a transport failure that says which.
 */

/** One answer waited out: its status, the header as the target sent it (seconds or an HTTP date), the wait. */
export type RetryRecord = NonNullable<WireAnswer['retries']>[number]

export interface RetryPolicy {
  /** Retries per request at most (0: never retry). */
  retries: number
  /** A longer Retry-After is not waited for. */
  maxWaitMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 2, maxWaitMs: 30_000 }

const RETRYABLE = new Set([429, 503])

/** Milliseconds to wait, from delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when unusable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  const v = value?.trim()
  if (!v) return undefined
  if (/^\d+$/.test(v)) return Number(v) * 1000
  // IMF-fixdate, or the obsolete RFC 850 / asctime forms Date.parse also reads; a bare number like "1.5" is not a date.
  if (!/[A-Za-z]/.test(v)) return undefined
  const at = Date.parse(v)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** The request gave up waiting: carries the retries made, for the report. */
export class RetriesExhausted extends ConformError {
  readonly retries: RetryRecord[]
  constructor(message: string, retries: RetryRecord[]) {
    super('TRANSPORT_RATE_LIMITED', 'transport', message)
    this.retries = retries
  }
}

export interface RetryContext {
  /** `POST http://host/path`, for messages. */
  where: string
  signal?: AbortSignal
  /** Epoch ms after which no retry starts (the check's deadline). */
  deadlineAt?: number
  now?: () => number
}

export async function withRetries(send: () => Promise<WireAnswer>, policy: RetryPolicy, ctx: RetryContext): Promise<WireAnswer> {
  const now = ctx.now ?? Date.now
  const retries: RetryRecord[] = []
  for (;;) {
    const answer = await send()
    const header = answer.headers['retry-after']
    const waitMs = RETRYABLE.has(answer.status) ? parseRetryAfter(header, now()) : undefined
    if (waitMs === undefined) return retries.length ? { ...answer, retries } : answer
    const seconds = `${Math.ceil(waitMs / 1000)} s`
    const refusal =
      retries.length >= policy.retries
        ? `after ${retries.length} ${retries.length === 1 ? 'retry' : 'retries'} (limits.retries is ${policy.retries})`
        : waitMs > policy.maxWaitMs
          ? `the wait (${seconds}) is longer than limits.maxRetryWaitMs (${policy.maxWaitMs} ms)`
          : ctx.deadlineAt !== undefined && now() + waitMs > ctx.deadlineAt
            ? `waiting ${seconds} would pass the check's deadline`
            : undefined
    if (refusal) {
      throw new RetriesExhausted(`${ctx.where}: HTTP ${answer.status} with Retry-After ${JSON.stringify(header)}: gave up ${refusal}`, retries)
    }
    retries.push({ status: answer.status, retryAfter: header!, waitMs })
    await sleep(waitMs, ctx.signal)
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const done = () => {
      signal?.removeEventListener('abort', stop)
      resolve()
    }
    const timer = setTimeout(done, ms)
    const stop = () => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    signal?.addEventListener('abort', stop, { once: true })
  })
}

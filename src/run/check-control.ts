/** A check's own time limit: a stopped check aborts its requests, then restores its users (src/engine/execute.ts). */
import type { CheckControl } from '../engine/check-execution.ts'

/**
 * The longest one check may run, from its start (not its wait in the scheduler's queue), unless the target's
 * `limits.checkTimeoutMs` says otherwise.
 */
export const CHECK_TIME_LIMIT_MS = 60_000

/**
 * A check's stop signal and deadline: the signal fires at the time limit; retries after 429/503 never wait past the
 * point where the retried request could still finish in time. `done()` clears the timer.
 */
export function checkControl(requestTimeoutMs: number, limitMs: number = CHECK_TIME_LIMIT_MS): CheckControl & { done(): void } {
  const stop = new AbortController()
  const timer = setTimeout(() => stop.abort(new Error(`it ran longer than its time limit of ${limitMs / 1000} s`)), limitMs)
  timer.unref()
  return { signal: stop.signal, deadlineAt: Date.now() + limitMs - requestTimeoutMs, done: () => clearTimeout(timer) }
}

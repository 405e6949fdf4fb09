/**
 * How a run's checks are stopped inside the vitest worker: by a signal that reaches the worker, or by their own time
 * limit. A stopped check aborts its requests, then restores its users (src/engine/execute.ts).
 */
import type { CheckControl } from '../engine/case-run.ts'

/**
 * The longest one check may run, from its start (not its wait in the scheduler's queue), unless the target's
 * `limits.checkTimeoutMs` says otherwise. Tests wait for their check without a timeout of their own (a check may queue
 * behind others), so this is the check's deadline.
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

/**
 * SIGINT and SIGTERM in the worker while a run's session lives: a terminal's Ctrl-C and a `kill` of the process group
 * reach the worker too. Without this the signal would end the worker in the middle of a check; with it, the checks
 * under way stop and restore their users, while the conform process cancels the run. `off()` once the session is
 * closed, so vitest can end the idle worker with SIGTERM as usual.
 */
export function stopOnSignals(stop: (signal: NodeJS.Signals) => void): { off(): void } {
  const onSignal = (sig: NodeJS.Signals) => stop(sig)
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    off() {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
  }
}

const CANCELLED = Symbol.for('conform.run-cancelled')

/** Why vitest cancelled this worker's run, if it did (the session may not exist yet when that happens). */
export function runCancelled(): Error | undefined {
  return (globalThis as Record<symbol, Error | undefined>)[CANCELLED]
}

/** Records the cancellation of this worker's run (`undefined`: a new run starts). */
export function setRunCancelled(reason: Error | undefined): void {
  ;(globalThis as Record<symbol, Error | undefined>)[CANCELLED] = reason
}

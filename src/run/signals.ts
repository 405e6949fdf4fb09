import type { Vitest } from 'vitest/node'

type Stop = 'SIGINT' | 'SIGTERM'

export interface Interruptible {
  /** The first stop signal received, if any. */
  readonly received: Stop | undefined
  off(): void
}

/**
 * SIGINT and SIGTERM during `conform run`. The first cancels the run: vitest stops starting checks and aborts the
 * requests under way; every check then restores its fixture users (the workers wait for that), and the reports are
 * written. A second signal exits at once and leaves the journal for `conform restore`.
 *
 * vitest's own handlers (installed by createVitest) exit the process a millisecond after the signal, before any
 * restore could happen: they are taken off for the run. Nothing else in this process listens to these signals.
 */
export function interruptible(vitest: Vitest, journalFile: string): Interruptible {
  const state: { received: Stop | undefined } = { received: undefined }
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.removeAllListeners(sig)
  const onSignal = (sig: Stop) => {
    if (state.received) {
      process.stderr.write(`\n${sig} again: stopping now. Users still being restored are in the journal: run conform restore --journal ${journalFile}\n`)
      process.exit(sig === 'SIGTERM' ? 143 : 130)
    }
    state.received = sig
    process.stderr.write(`\n${sig}: stopping. Checks under way restore their users first, then the reports are written (${sig === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again to stop at once)…\n`)
    void vitest.cancelCurrentRun('keyboard-input')
  }
  const onInt = () => onSignal('SIGINT')
  const onTerm = () => onSignal('SIGTERM')
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  return {
    get received() {
      return state.received
    },
    off() {
      process.off('SIGINT', onInt)
      process.off('SIGTERM', onTerm)
    },
  }
}

type Stop = 'SIGINT' | 'SIGTERM'

export interface Interruptible {
  /** The first stop signal received, if any. */
  readonly received: Stop | undefined
  off(): void
}

/**
 * SIGINT and SIGTERM during `conform run`. The first stops the run: no check starts any more, the requests under way
 * are aborted, every check restores its fixture users, and the reports are written. A second signal exits at once
 * and leaves the journal for `conform restore`.
 */
export function interruptible(stop: (reason: Error) => void, journalFile: string): Interruptible {
  const state: { received: Stop | undefined } = { received: undefined }
  const onSignal = (sig: Stop) => {
    if (state.received) {
      process.stderr.write(`\n${sig} again: stopping now. Users still being restored are in the journal: run conform restore --journal ${journalFile}\n`)
      process.exit(sig === 'SIGTERM' ? 143 : 130)
    }
    state.received = sig
    process.stderr.write(`\n${sig}: stopping. Checks under way restore their users first, then the reports are written (${sig === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again to stop at once)…\n`)
    stop(new Error(`${sig} received`))
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

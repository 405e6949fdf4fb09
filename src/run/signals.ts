import { existsSync } from 'node:fs'

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
      process.stderr.write(secondSignalMessage(sig, journalFile))
      process.exit(sig === 'SIGTERM' ? 143 : 130)
    }
    state.received = sig
    process.stderr.write(
      `\n${sig}: stopping. Checks under way restore their users first, then the reports are written (${sig === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again to stop at once)…\n`,
    )
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

/** What a second signal says as it ends the process: the journal to replay, when the run has one (a run on the embedded reference, or one that changed no fixture user yet, has none). */
export function secondSignalMessage(sig: Stop, journalFile: string): string {
  const journal = existsSync(journalFile)
    ? ` Users still being restored are in the journal: run conform restore --journal ${journalFile}`
    : ' No fixture user was being changed: there is nothing to restore.'
  return `\n${sig} again: stopping now.${journal}\n`
}

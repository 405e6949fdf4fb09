/**
 * The conformance project's test runner: vitest's own, except for cancellation. A cancelled run (conform's SIGINT or
 * SIGTERM, vitest.cancelCurrentRun) stops the session's checks; vitest itself neither skips tests nor aborts them.
 * The run then goes on through every suite file at once: each test reports its check's verdict (stopped, with its
 * users restored, or interrupted before it started), and no file ends before the checks under way have restored
 * their users. Left to vitest, a cancel would end every running test at once, without its verdict, while its check
 * is still restoring; and a file it skips runs no hook that could wait for the checks the session started ahead.
 */
import { TestRunner, type CancelReason, type RunnerTestFile, type SerializedConfig } from 'vitest'
import { activeSession } from './session.ts'
import { setRunCancelled } from './stopping.ts'

export default class ConformTestRunner extends TestRunner {
  constructor(config: SerializedConfig) {
    super(config)
    setRunCancelled(undefined)
  }

  override async onAfterRunFiles(files: RunnerTestFile[]): Promise<void> {
    super.onAfterRunFiles(files)
    const session = activeSession()
    if (session?.stopped) await session.close()
  }
}

function stopRun(reason: CancelReason): void {
  const why = new Error(`the run was cancelled (${reason})`)
  setRunCancelled(why)
  activeSession()?.stop(why)
}

// The worker calls `runner.cancel(reason)`. While a file runs, vitest wraps that method with one that aborts every
// running test (which then ends without its verdict) and marks the rest skipped: assignments are ignored here, so a
// cancel reaches stopRun alone.
Object.defineProperty(ConformTestRunner.prototype, 'cancel', { configurable: true, get: () => stopRun, set: () => {} })

/**
 * The reference on a thread of its own. `conform run` hosts it so: the main thread also runs vitest and its reporters,
 * and an answer should never wait for a report being written. Same server, same options (but an injected clock,
 * which cannot cross threads).
 */
import { Worker } from 'node:worker_threads'
import { ReferenceConfigError, type ReferenceErrorCode } from './errors.ts'
import type { ReferenceOptions, RunningReference } from './index.ts'

const REFERENCE_HEAP_MB = 96

type Reply = { url: string; controlKey: string } | { error: { code: ReferenceErrorCode; message: string } }

export function startReferenceThread(options: Omit<ReferenceOptions, 'now'> = {}): Promise<RunningReference> {
  // The reference's live heap is small and flat; bounded, V8 collects before a long run's garbage piles up.
  const worker = new Worker(new URL('./thread-entry.ts', import.meta.url), {
    workerData: options,
    resourceLimits: { maxOldGenerationSizeMb: REFERENCE_HEAP_MB },
  })
  return new Promise((resolve, reject) => {
    worker.once('error', reject)
    worker.once('message', (reply: Reply) => {
      worker.off('error', reject)
      // Serving, it is not what keeps the process alive (a caller that gives up on it simply exits); closing, it is.
      worker.unref()
      if ('error' in reply) {
        reject(new ReferenceConfigError(reply.error.code, reply.error.message))
        return
      }
      let closing: Promise<void> | undefined
      resolve({
        url: reply.url,
        controlKey: reply.controlKey,
        close() {
          closing ??= new Promise<void>((done) => {
            worker.ref()
            worker.once('exit', () => done())
            worker.postMessage('close')
          })
          return closing
        },
      })
    })
  })
}

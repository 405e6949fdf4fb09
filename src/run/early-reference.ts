import { createRequire } from 'node:module'
import type { RunningReference } from '../../reference/index.ts'

type Thread = typeof import('../../reference/thread.ts')

/**
 * Starts the embedded reference on its own thread before the project is even loaded, when the command line asks for
 * it (no --target, or --target reference): the thread loads its modules on the other core while this one parses the
 * specs. `use()` hands it over once the target is confirmed to be the reference; `discard()` stops it otherwise.
 */
export function startReferenceEarly(
  target: string | undefined,
  deviations: string[],
  variations: string[] = [],
): { use(): Promise<RunningReference> | undefined; discard(): void } {
  // Required only then (a configured target loads none of reference/), and now: the thread starts loading at once.
  const started =
    target === undefined || target === 'reference'
      ? (createRequire(import.meta.url)('../../reference/thread.ts') as Thread).startReferenceThread({ deviations, variations })
      : undefined
  // An unknown deviation or variation rejects; that is reported by the usual checks, or when the target is used.
  started?.catch(() => undefined)
  return {
    use: () => started,
    discard: () =>
      void started?.then(
        (r) => r.close(),
        () => undefined,
      ),
  }
}

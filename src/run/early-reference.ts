import type { RunningReference } from '../../reference/index.ts'
import { startReferenceThread } from '../../reference/thread.ts'

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
  const started = target === undefined || target === 'reference' ? startReferenceThread({ deviations, variations }) : undefined
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

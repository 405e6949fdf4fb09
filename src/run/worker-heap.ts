/**
 * The worker's heap limit for a run of `checks` checks. The engine's live heap is small and flat (~90 MB for the 191
 * checks of the project, whatever `--repeat`), but V8 lets the old generation grow well past it on a long run before
 * it collects: bounding it keeps the worker's memory flat. Generous per check, for larger spec sets.
 */
export const WORKER_HEAP_ENV = 'CONFORM_WORKER_HEAP_MB'

export function workerHeapLimitMb(checks: number): number {
  return Math.max(192, 128 + Math.ceil(checks / 4))
}

import { appendFileSync } from 'node:fs'

/**
 * Phase marks for `npm run bench` (and anyone asking where a run's time goes): with CONFORM_TRACE=FILE set, each mark
 * appends `{"mark", "at" (epoch ms), "pid"}` as a line to FILE. Off by default; a handful of lines per run when on.
 */
export const TRACE_ENV = 'CONFORM_TRACE'

export function mark(name: string, at: number = performance.timeOrigin + performance.now()): void {
  const file = process.env[TRACE_ENV]
  if (!file) return
  appendFileSync(file, `${JSON.stringify({ mark: name, at, pid: process.pid })}\n`)
}

import { appendFileSync } from 'node:fs'

/**
 * Phase marks for `npm run bench` (and anyone asking where a run's time goes): with CONFORM_TRACE=FILE set, each mark
 * appends `{"mark", "at" (epoch ms), "monoUs" (the monotonic clock CPU profiles use, µs), "pid", "cpuMs" (the process's CPU time so far), "sysMs" (of which in the kernel), "threadCpuMs" (the calling thread's alone: without V8's collector and compiler threads)}` as a line to FILE. Off by default; a handful of lines per run when on.
 */
export const TRACE_ENV = 'CONFORM_TRACE'

export function mark(name: string, at: number = performance.timeOrigin + performance.now()): void {
  const file = process.env[TRACE_ENV]
  if (!file) return
  const cpu = process.cpuUsage()
  const thread = process.threadCpuUsage()
  appendFileSync(
    file,
    `${JSON.stringify({ mark: name, at, monoUs: Number(process.hrtime.bigint() / 1000n), pid: process.pid, cpuMs: (cpu.user + cpu.system) / 1000, sysMs: cpu.system / 1000, threadCpuMs: (thread.user + thread.system) / 1000 })}\n`,
  )
}

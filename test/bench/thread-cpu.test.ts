import { describe, expect, test } from 'vitest'
import { checkWindow, cpuIn, threadRole, type ThreadSeries } from '../../bench/lib/measure.ts'

const thread = (pid: number, tid: number, command: string, name: string, samples: Array<[number, number]>): ThreadSeries => ({
  pid,
  tid,
  command,
  name,
  samples: samples.map(([at, cpuMs]) => ({ at, cpuMs })),
})

describe('CPU by thread within a window (bench)', () => {
  test("each thread's CPU between the last samples at or before the window's edges; threads idle in it left out", () => {
    const threads = [
      thread(1, 1, 'node bin/conform.mjs run', 'MainThread', [
        [0, 100],
        [25, 110],
        [50, 150],
        [75, 200],
      ]),
      // Started inside the window: all its CPU so far counts.
      thread(1, 7, 'node bin/conform.mjs run', 'WorkerThread', [
        [50, 30],
        [75, 60],
      ]),
      thread(2, 2, 'node node_modules/vitest/dist/workers/forks.js', 'MainThread', [
        [0, 10],
        [75, 10],
      ]),
    ]
    const got = cpuIn(threads, 30, 60).map((x) => [x.thread.tid, x.cpuMs])
    expect(got).toEqual([
      [1, 40],
      [7, 30],
    ])
  })

  test('roles: the CLI (its reference thread), the checks worker; main thread or V8 threads', () => {
    const role = (command: string, name: string, pid = 2) => threadRole(thread(pid, 9, command, name, []), 1)
    expect(role('node bin/conform.mjs run', 'MainThread', 1)).toBe('conform: main thread')
    expect(role('node bin/conform.mjs run', 'WorkerThread', 1)).toBe("conform: the reference's thread")
    expect(role('node node_modules/vitest/dist/workers/forks.js', 'V8Worker')).toBe("checks' worker: V8's compiler and GC threads")
    expect(role('node node_modules/vitest/dist/workers/forks.js', 'libuv-worker')).toBe("checks' worker: other threads")
  })
})

describe("the checks' window (bench)", () => {
  const mark = (name: string, pid: number, at: number, cpuMs: number) =>
    [name, { mark: name, at, monoUs: at * 1000, pid, cpuMs, threadCpuMs: cpuMs / 2 }] as const
  test("vitest's worker's marks where a run has them; else the CLI's, which runs the checks itself", () => {
    const worker = new Map([
      mark('target started', 1, 100, 10),
      mark('worker: readers ready', 2, 200, 50),
      mark('worker: last check done', 2, 900, 450),
      mark('last check done', 1, 950, 20),
    ])
    expect(checkWindow(worker)).toEqual({ fromUs: 200_000, toUs: 900_000, fromAt: 200, workerPid: 2, workerCpuMs: 400, workerThreadCpuMs: 200 })
    const cli = new Map([mark('target started', 1, 100, 10), mark('last check done', 1, 950, 610)])
    expect(checkWindow(cli)).toEqual({ fromUs: 100_000, toUs: 950_000, fromAt: 100, workerPid: 1, workerCpuMs: 600, workerThreadCpuMs: 300 })
    expect(checkWindow(new Map([mark('target started', 1, 100, 10)]))).toBeUndefined()
  })
})

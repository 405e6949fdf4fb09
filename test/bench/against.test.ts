import { describe, expect, test } from 'vitest'
import { compareLines, sideRun, type SideRun } from '../../bench/lib/against.ts'
import type { TraceMark } from '../../bench/lib/measure.ts'
import type { Har } from '../../src/report/har.ts'

const mark = (name: string, at: number): [string, TraceMark] => [name, { mark: name, at, monoUs: at * 1000, pid: 1, cpuMs: 0, threadCpuMs: 0 }]
const har = (entries: Array<[string, number]>) =>
  ({ log: { entries: entries.map(([startedDateTime, time]) => ({ startedDateTime, time })) } }) as unknown as Har

describe('bench --against', () => {
  test("a run's figures: the HAR's first request to last answer, phase lengths from the marks there are", () => {
    const marks = new Map([
      mark('vitest created', 1000),
      mark('worker: session', 1400),
      mark('worker: readers ready', 1700),
      mark('worker: last check done', 2700),
      mark('vitest done', 2900),
    ])
    const h = har([
      ['2026-11-22T10:00:00.000Z', 50],
      ['2026-11-22T10:00:00.500Z', 600],
      ['2026-11-22T10:00:00.100Z', 20],
    ])
    expect(sideRun(h, marks, 3500)).toEqual({ commandToExitMs: 3500, requestsMs: 1100, workerReadyMs: 400, checksMs: 1000, afterChecksMs: 200 })
    // An older revision without the marks: only what the HAR and the clock say.
    expect(sideRun(h, new Map(), 3500)).toEqual({ commandToExitMs: 3500, requestsMs: 1100 })
  })

  test('medians per side and the change, n/a where a side has no such figure', () => {
    const a: SideRun[] = [
      { commandToExitMs: 4000, requestsMs: 1000 },
      { commandToExitMs: 3000, requestsMs: 900 },
      { commandToExitMs: 5000, requestsMs: 1100 },
    ]
    const b: SideRun[] = [
      { commandToExitMs: 2000, requestsMs: 1000, workerReadyMs: 300 },
      { commandToExitMs: 3000, requestsMs: 1200, workerReadyMs: 350 },
      { commandToExitMs: 2500, requestsMs: 1100, workerReadyMs: 400 },
    ]
    const lines = compareLines(['old', 'new'], [a, b])
    expect(lines[0]).toBe('medians of 3 interleaved runs each:')
    expect(lines.find((l) => l.includes('command → exit'))).toMatch(/4000 ms\s+2500 ms\s+−38 %$/)
    expect(lines.find((l) => l.includes('first request'))).toMatch(/1000 ms\s+1100 ms\s+\+10 %$/)
    expect(lines.find((l) => l.includes('worker ready'))).toMatch(/n\/a\s+350 ms$/)
  })
})

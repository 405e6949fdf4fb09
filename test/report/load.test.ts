import { describe, expect, test } from 'vitest'
import { buildConformance } from '../../src/report/conformance.ts'
import { renderConsoleSummary } from '../../src/report/console.ts'
import { loadFigures, loadLine } from '../../src/report/load.ts'
import { catalogue, check, exchange } from './builders.ts'

/** A check whose requests start at these offsets (ms after 08:00:00.000) and take these durations. */
const at = (ms: number) => new Date(Date.UTC(2026, 10, 22, 8, 0, 0, ms)).toISOString()
const timed = (id: string, ...requests: Array<[number, number]>) =>
  check({ id, requests: requests.length, exchanges: requests.map(([from, ms]) => exchange({ startedAt: at(from), durationMs: ms })) })

const meta = {
  tool: { name: 'conform', version: '0' },
  target: 'staging',
  seed: 1,
  startedAt: at(0),
  durationMs: 1000,
  deviations: [],
  apis: ['inforouter'],
  bindingsOffered: {},
}

describe('load figures', () => {
  test('a run with more exchanges than a function call takes arguments (a long --repeat): figures, no RangeError', () => {
    const exchanges = Array.from({ length: 300_000 }, (_, i) => exchange({ startedAt: at(i * 10), durationMs: 10 }))
    const load = loadFigures([check({ id: 'long', requests: exchanges.length, exchanges })], 1)!
    expect(load.requests).toBe(300_000)
    expect(load.spanMs).toBe(3_000_000)
  })

  test('two slots kept busy from the first request to the last answer: every slot busy, the run at the best pace', () => {
    const load = loadFigures([timed('a', [0, 50], [50, 50]), timed('b', [0, 50], [50, 50])], 2)!
    expect(load).toEqual({
      concurrency: 2,
      requests: 4,
      spanMs: 100,
      busyMs: 200,
      efficiency: 1,
      peakInFlight: 2,
      longestCheck: { id: 'a', ms: 100 },
      idealMs: 100,
      idealShare: 1,
    })
  })

  test('a gap with nothing in flight and a slot never used count against the run', () => {
    // Two slots; one check, one request at a time, with a 100 ms gap between its requests.
    const load = loadFigures([timed('a', [0, 50], [150, 50]), timed('b', [0, 50])], 2)!
    expect(load.spanMs).toBe(200)
    expect(load.busyMs).toBe(150)
    expect(load.efficiency).toBe(0.375)
    expect(load.peakInFlight).toBe(2)
    // Its own requests keep check a 100 ms at least; the 150 ms of requests spread over two slots, 75.
    expect(load.longestCheck).toEqual({ id: 'a', ms: 100 })
    expect(load.idealMs).toBe(100)
    expect(load.idealShare).toBe(0.5)
  })

  test("a check's overlapping requests count once towards its own length; a request ending as another starts is not in flight with it", () => {
    const load = loadFigures([timed('a', [0, 100], [50, 100]), timed('b', [150, 10])], 4)!
    expect(load.longestCheck).toEqual({ id: 'a', ms: 150 })
    expect(load.peakInFlight).toBe(2)
    expect(load.idealMs).toBe(150)
  })

  test('starts known to the millisecond: a request starting within a millisecond of another answer is not counted in flight with it', () => {
    // b started at 50 ms (recorded), perhaps at 50.9, after a's answer at 50.4.
    const load = loadFigures([check({ id: 'a', exchanges: [exchange({ startedAt: at(0), durationMs: 50.4 })] }), timed('b', [50, 50])], 2)!
    expect(load.peakInFlight).toBe(1)
    expect(loadFigures([timed('a', [0, 52]), timed('b', [50, 50])], 2)!.peakInFlight).toBe(2)
  })

  test('nothing sent, or no concurrency: no figures', () => {
    expect(loadFigures([check()], 4)).toBeUndefined()
    expect(loadFigures([timed('a', [0, 10])], 0)).toBeUndefined()
  })

  test('the line says how busy and how far from the best pace, and what bounds it', () => {
    expect(loadLine(loadFigures([timed('a', [0, 50], [150, 50]), timed('b', [0, 50])], 2)!)).toBe(
      'load: 3 requests in 0.2 s, at most 2 in flight (concurrency 2); request slots busy 38 % of the time; it ran at 50 % of the best pace (0.1 s, its longest check: a)',
    )
    expect(loadLine(loadFigures([timed('a', [0, 50]), timed('b', [0, 50]), timed('c', [100, 50])], 2)!)).toMatch(
      /busy 50 % of the time; it ran at 50 % of the best pace \(0\.1 s, every slot busy\)$/,
    )
  })

  test('conformance.json carries them with the concurrency given, and the console prints them; none without it or with --repeat', () => {
    const checks = [timed('a', [0, 50], [50, 50]), timed('b', [0, 50])]
    const report = buildConformance(checks, catalogue, { ...meta, concurrency: 2 })
    expect(report.load).toMatchObject({ concurrency: 2, requests: 3, spanMs: 100, busyMs: 150, efficiency: 0.75 })
    expect(renderConsoleSummary(report, 'out')).toContain('load: 3 requests in 0.1 s, at most 2 in flight (concurrency 2); request slots busy 75 % of the time')
    const merged = buildConformance(checks, catalogue, meta)
    expect(merged.load).toBeUndefined()
    expect(renderConsoleSummary(merged, 'out')).not.toContain('load:')
    expect(buildConformance(checks, catalogue, { ...meta, concurrency: 2, repeat: 3 }).load).toBeUndefined()
  })
})

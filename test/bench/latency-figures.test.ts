import { describe, expect, test } from 'vitest'
import { latencyFigures, latencyLines } from '../../bench/lib/latency-figures.ts'
import type { Har } from '../../src/report/har.ts'

/** HAR entries: [check, start ms after 10:00:00, duration ms, purpose]; a control request has a comment. */
function har(entries: Array<[string, number, number, string?, boolean?]>): Har {
  return {
    log: {
      entries: entries.map(([pageref, from, time, purpose, control]) => ({
        pageref,
        startedDateTime: new Date(Date.UTC(2026, 0, 1, 10, 0, 0, from)).toISOString(),
        time,
        ...(purpose ? { _purpose: purpose } : {}),
        ...(control ? { comment: 'control' } : {}),
      })),
    },
  } as unknown as Har
}

describe('latency figures', () => {
  test('requests per executed check by purpose; skipped checks and control requests do not count', () => {
    const f = latencyFigures(
      har([
        ['a', 0, 50, 'login'],
        ['a', 50, 50, 'call'],
        ['a', 100, 50, 'read back'],
        ['b', 0, 50, 'call'],
        ['b', 50, 50, 'read back'],
        ['c', 0, 5, undefined, true],
      ]),
      [
        { id: 'a', status: 'passed' },
        { id: 'b', status: 'failed' },
        { id: 'c', status: 'skipped' },
      ],
      2,
      50,
    )
    expect(f.checks).toBe(3)
    expect(f.executedChecks).toBe(2)
    expect(f.requests).toBe(5)
    expect(f.perCheck).toBe(2.5)
    expect(f.byPurpose).toEqual([
      { purpose: 'call', requests: 2, perCheck: 1, share: 0.4 },
      { purpose: 'read back', requests: 2, perCheck: 1, share: 0.4 },
      { purpose: 'login', requests: 1, perCheck: 0.5, share: 0.2 },
    ])
  })

  test('efficiency: the shortest schedule (every request one round trip, every slot busy) over the run', () => {
    // 4 requests of one round trip on 2 slots: 100 ms at best; the run took 200 (a gap of 100 ms).
    const f = latencyFigures(
      har([
        ['a', 0, 50, 'call'],
        ['b', 0, 50, 'call'],
        ['c', 150, 50, 'call'],
        ['d', 150, 50, 'call'],
      ]),
      ['a', 'b', 'c', 'd'].map((id) => ({ id, status: 'passed' })),
      2,
      50,
    )
    expect(f.spanMs).toBe(200)
    expect(f.idealMs).toBe(100)
    expect(f.busyShare).toBe(0.5)
    expect(f.efficiency).toBe(0.5)
  })

  test('a check longer than the ideal, or checks taking turns on a small pool, bound the schedule instead', () => {
    const checks = ['a', 'b', 'c'].map((id) => ({ id, status: 'passed' }))
    // a sends 4 requests one after another: 200 ms at least, whatever the concurrency.
    const long = latencyFigures(
      har([
        ['a', 0, 50],
        ['a', 50, 50],
        ['a', 100, 50],
        ['a', 150, 50],
        ['b', 0, 50],
        ['c', 0, 50],
      ]),
      checks,
      8,
      50,
    )
    expect(long.criticalPath).toEqual({ ms: 200, what: 'a: 4 requests one after another' })
    expect(long.efficiency).toBe(1)
    // b and c (2 requests each) and a (2) take turns on one placed account: 6 round trips in a row.
    const needs = new Map([
      ['a', [{ pools: ['placed'], n: 1 }]],
      ['b', [{ pools: ['placed'], n: 1 }]],
      [
        'c',
        [
          { pools: ['placed'], n: 1 },
          { pools: ['wide'], n: 2 },
        ],
      ],
    ])
    const turns = latencyFigures(
      har([
        ['a', 0, 50],
        ['a', 50, 50],
        ['b', 100, 50],
        ['b', 150, 50],
        ['c', 200, 50],
        ['c', 250, 50],
      ]),
      checks,
      8,
      50,
      { needs, capacity: (p) => (p === 'placed' ? 1 : 10) },
    )
    expect(turns.criticalPath).toEqual({ ms: 300, what: '3 checks taking turns on placed (1 account)' })
    expect(turns.efficiency).toBe(1)
    // Four checks of 2 requests on a pool of 2 accounts: 8 round trips over 2 accounts, 200 ms.
    const four = ['a', 'b', 'c', 'd']
    const pair = latencyFigures(
      har(
        four.flatMap(
          (id) =>
            [
              [id, 0, 50],
              [id, 50, 50],
            ] as Array<[string, number, number]>,
        ),
      ),
      four.map((id) => ({ id, status: 'passed' })),
      8,
      50,
      { needs: new Map(four.map((id) => [id, [{ pools: ['pair'], n: 1 }]])), capacity: () => 2 },
    )
    expect(pair.criticalPath).toEqual({ ms: 200, what: '4 checks taking turns on pair (2 accounts)' })
  })

  test('the printed lines name the figures', () => {
    const f = latencyFigures(
      har([
        ['a', 0, 50, 'call'],
        ['b', 0, 50, 'call'],
        ['c', 150, 50, 'call'],
        ['d', 150, 50, 'call'],
      ]),
      ['a', 'b', 'c', 'd'].map((id) => ({ id, status: 'passed' })),
      2,
      50,
    )
    const lines = latencyLines(f, 2, 25)
    expect(lines[0]).toBe('  4 of 4 checks executed, 4 requests: 1.00 per executed check')
    expect(lines).toContain('  ideal 0.10 s (4 × 50 ms ÷ 2); critical path 0.05 s (a: 1 request one after another)')
    expect(lines.at(-1)).toBe('  efficiency 50 % (max(ideal, critical path) 0.10 s ÷ 0.20 s)')
  })
})

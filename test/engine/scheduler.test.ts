import { describe, expect, test } from 'vitest'
import { Scheduler, type Job } from '../../src/engine/scheduler.ts'
import { Repeated, repetition } from '../../src/engine/repeat.ts'
import type { CheckResult } from '../../src/engine/result.ts'
import type { Check } from '../../src/engine/plan.ts'
import { parseShard, shardCases } from '../../src/run/shard.ts'

const tick = () => new Promise((r) => setTimeout(r, 2))

/** Jobs that record when they run; each takes a few event-loop turns. */
function recorder() {
  const log: string[] = []
  let running = 0
  let most = 0
  const job = (name: string, group = 'a', needs: Record<string, number> = {}, weight?: number): Job => ({
    group,
    needs: Object.entries(needs).map(([pool, n]) => ({ pools: [pool], n })),
    ...(weight === undefined ? {} : { weight }),
    run: async () => {
      running++
      most = Math.max(most, running)
      log.push(`+${name}`)
      await tick()
      log.push(`-${name}`)
      running--
    },
  })
  return { log, job, most: () => most }
}

describe('Scheduler', () => {
  test('never runs more than the concurrency at once, and runs everything', async () => {
    const r = recorder()
    const s = new Scheduler({ concurrency: 3, capacity: () => undefined })
    for (let i = 0; i < 10; i++) s.add(r.job(`j${i}`))
    await s.idle()
    expect(r.most()).toBe(3)
    expect(r.log.filter((l) => l.startsWith('+'))).toHaveLength(10)
  })

  test('two jobs needing the same account never overlap; others pass a waiting one', async () => {
    const r = recorder()
    const s = new Scheduler({ concurrency: 4, capacity: (pool) => (pool === 'ir:member' ? 1 : undefined) })
    s.add(r.job('m1', 'a', { 'ir:member': 1 }))
    s.add(r.job('m2', 'a', { 'ir:member': 1 }))
    s.add(r.job('free', 'a'))
    await s.idle()
    expect(r.log.indexOf('-m1')).toBeLessThan(r.log.indexOf('+m2'))
    // `free` did not queue behind m2, which waited for the account.
    expect(r.log.indexOf('+free')).toBeLessThan(r.log.indexOf('+m2'))
  })

  test('a need names pools in order: the first as far as it has free accounts, then the next', async () => {
    const r = recorder()
    const caps: Record<string, number> = { ordinary: 1, disposable: 2 }
    const s = new Scheduler({ concurrency: 8, capacity: (pool) => caps[pool] })
    const either = (name: string): Job => ({ ...r.job(name), needs: [{ pools: ['ordinary', 'disposable'], n: 1 }] })
    for (const name of ['o1', 'o2', 'o3', 'o4']) s.add(either(name))
    await s.idle()
    // Three accounts in all: the fourth waited for one, though it could take either kind.
    expect(r.most()).toBe(3)
    expect(r.log.indexOf('+o4')).toBeGreaterThan(r.log.indexOf('-o1'))
  })

  test('a risky job waits for a disposable account that ordinary jobs took after the ordinary ones', async () => {
    const r = recorder()
    const caps: Record<string, number> = { ordinary: 1, disposable: 1 }
    const s = new Scheduler({ concurrency: 8, capacity: (pool) => caps[pool] })
    s.add({ ...r.job('o1'), needs: [{ pools: ['ordinary', 'disposable'], n: 1 }] })
    s.add({ ...r.job('o2'), needs: [{ pools: ['ordinary', 'disposable'], n: 1 }] })
    s.add({ ...r.job('risky'), needs: [{ pools: ['disposable'], n: 1 }] })
    await s.idle()
    expect(r.log.slice(0, 2)).toEqual(['+o1', '+o2'])
    expect(r.log.indexOf('+risky')).toBeGreaterThan(r.log.indexOf('-o2'))
  })

  test('jobs of a pool that would outlast the run (a chain) start first; the rest in the order added', async () => {
    const r = recorder()
    let ahead = false
    const s = new Scheduler({ concurrency: 2, capacity: (pool) => (pool === 'placed' ? 1 : pool === 'wide' ? 8 : undefined), mayRunAhead: () => ahead })
    for (const [name, needs] of [
      ['free1', {}],
      ['wide1', { wide: 1 }],
      ['chain1', { placed: 1 }],
      ['chain2', { placed: 1 }],
      ['chain3', { placed: 1 }],
      ['chain4', { placed: 1 }],
    ] as const)
      s.add(r.job(name, 'x', needs))
    ahead = true
    s.pump()
    await s.idle()
    // 6 jobs on 2 slots are 3 rounds; 4 jobs on one account are 4: the chain goes first, the others beside it.
    expect(r.log.filter((l) => l.startsWith('+'))).toEqual(['+chain1', '+free1', '+chain2', '+wide1', '+chain3', '+chain4'])
  })

  test('a pool with more jobs than accounts but fewer rounds than the run keeps the order added', async () => {
    const r = recorder()
    let ahead = false
    const s = new Scheduler({ concurrency: 2, capacity: (pool) => (pool === 'placed' ? 1 : undefined), mayRunAhead: () => ahead })
    for (const [name, needs] of [
      ['free1', {}],
      ['free2', {}],
      ['free3', {}],
      ['free4', {}],
      ['chain1', { placed: 1 }],
      ['chain2', { placed: 1 }],
    ] as const)
      s.add(r.job(name, 'x', needs))
    ahead = true
    s.pump()
    await s.idle()
    expect(r.log.filter((l) => l.startsWith('+'))).toEqual(['+free1', '+free2', '+free3', '+free4', '+chain1', '+chain2'])
  })

  test('a chain in a group not asked for waits while look-ahead is closed', async () => {
    const r = recorder()
    let ahead = false
    const s = new Scheduler({ concurrency: 2, capacity: (pool) => (pool === 'placed' ? 1 : undefined), mayRunAhead: () => ahead })
    s.ask('y')
    for (let i = 1; i <= 4; i++) s.add(r.job(`x${i}`, 'x', { placed: 1 }))
    s.add(r.job('y1', 'y'))
    await tick()
    await tick()
    expect(r.log).toEqual(['+y1', '-y1'])
    ahead = true
    s.pump()
    await s.idle()
    expect(r.log.filter((l) => l.startsWith('+'))).toEqual(['+y1', '+x1', '+x2', '+x3', '+x4'])
  })

  test('the longest job starts first, though added after shorter ones; equal lengths keep the order added', async () => {
    const r = recorder()
    const s = new Scheduler({ concurrency: 2, capacity: () => undefined })
    s.addAll([r.job('s1', 'a', {}, 2), r.job('s2', 'a', {}, 2), r.job('s3', 'a', {}, 2), r.job('long', 'a', {}, 7), r.job('mid', 'a', {}, 4)])
    await s.idle()
    expect(r.log.filter((l) => l.startsWith('+'))).toEqual(['+long', '+mid', '+s1', '+s2', '+s3'])
  })

  test("a chain is judged by its jobs' summed lengths: a one-account pool with two long jobs starts at once", async () => {
    const r = recorder()
    const s = new Scheduler({ concurrency: 4, capacity: (pool) => (pool === 'placed' ? 1 : undefined) })
    s.addAll([
      r.job('short1', 'a', {}, 1),
      r.job('short2', 'a', {}, 1),
      ...[1, 2, 3, 4].map((i) => r.job(`heavy${i}`, 'a', {}, 8)),
      r.job('chain1', 'a', { placed: 1 }, 6),
      r.job('chain2', 'a', { placed: 1 }, 6),
    ])
    await s.idle()
    // 46 requests on 4 slots are 11.5 one after another; the placed account's two jobs are 12. Counted in jobs (2 on
    // one account, 8 on 4 slots) it would not be a chain, and each of its jobs is shorter than the heavy ones.
    expect(r.log.filter((l) => l.startsWith('+')).slice(0, 4)).toEqual(['+chain1', '+heavy1', '+heavy2', '+heavy3'])
  })

  test('a pool whose jobs are many but short is no chain: the longest jobs go first', async () => {
    const r = recorder()
    const s = new Scheduler({ concurrency: 2, capacity: (pool) => (pool === 'placed' ? 1 : undefined) })
    s.addAll([
      r.job('heavy1', 'a', {}, 9),
      r.job('heavy2', 'a', {}, 9),
      r.job('p1', 'a', { placed: 1 }, 1),
      r.job('p2', 'a', { placed: 1 }, 1),
      r.job('p3', 'a', { placed: 1 }, 1),
    ])
    await s.idle()
    // 3 jobs on one account, 5 on 2 slots, would be a chain by count; 3 requests against 11.5 are not.
    expect(r.log.filter((l) => l.startsWith('+')).slice(0, 2)).toEqual(['+heavy1', '+heavy2'])
  })

  test('a group asked for goes first even when look-ahead is open and a longer job of another group waits', async () => {
    const r = recorder()
    const s = new Scheduler({ concurrency: 1, capacity: () => undefined, mayRunAhead: () => true })
    s.ask('y')
    s.addAll([r.job('x-long', 'x', {}, 9), r.job('y-short', 'y', {}, 1)])
    await s.idle()
    expect(r.log.filter((l) => l.startsWith('+'))).toEqual(['+y-short', '+x-long'])
  })

  test('a job needing more accounts than the pool has starts at once (and fails on its own)', async () => {
    const r = recorder()
    const s = new Scheduler({ concurrency: 2, capacity: () => 1 })
    s.add(r.job('greedy', 'a', { 'ir:member': 2 }))
    await s.idle()
    expect(r.log).toEqual(['+greedy', '-greedy'])
  })

  test('groups asked for go first; others only while look-ahead allows', async () => {
    const r = recorder()
    let ahead = false
    const s = new Scheduler({ concurrency: 1, capacity: () => undefined, mayRunAhead: () => ahead })
    s.add(r.job('x1', 'x'))
    s.add(r.job('y1', 'y'))
    s.ask('y')
    await tick()
    await tick()
    expect(r.log).toEqual(['+y1', '-y1'])
    ahead = true
    s.pump()
    await s.idle()
    expect(r.log).toEqual(['+y1', '-y1', '+x1', '-x1'])
  })

  test('cancel starts nothing more and lets running jobs finish', async () => {
    const r = recorder()
    const s = new Scheduler({ concurrency: 1, capacity: () => undefined })
    s.add(r.job('a'))
    s.add(r.job('b'))
    s.cancel()
    s.add(r.job('c'))
    await s.idle()
    expect(r.log).toEqual(['+a', '-a'])
  })
})

function result(id: string, status: CheckResult['status'], message: string | null = null): CheckResult {
  return {
    id,
    spec: 'specs/x.yaml',
    line: 1,
    title: 't',
    api: 'inforouter',
    operation: 'Op',
    binding: 'soap11',
    covers: ['IE-1'],
    level: 'MUST',
    status,
    category: status === 'failed' ? 'behaviour' : null,
    message,
    failures: message ? [{ category: 'behaviour', behaviours: ['IE-1'], message }] : [],
    durationMs: 10,
    requests: 2,
    exchanges: [{ operation: 'Op', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1, request: { method: 'GET', url: `http://x/${id}`, headers: {} } }],
    steps: [{ name: 'call', status: 'passed', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1, exchanges: [0] }],
  }
}

describe('--repeat: runs of one check folded into one result', () => {
  const base = { id: 'ir.x@soap11' } as Check

  test('run 1 is the check itself; run k has its own id (and so its own seeds)', () => {
    expect(repetition(base, 1)).toBe(base)
    expect(repetition(base, 3).id).toBe('ir.x@soap11#3')
  })

  test('one run: exactly that result', () => {
    const r = new Repeated(1)
    const only = result('ir.x@soap11', 'passed')
    r.add(1, only)
    expect(r.complete).toBe(true)
    expect(r.result()).toBe(only)
  })

  test('worst status wins; failures carry their run; counts per status; passed runs beyond the first keep no exchanges', () => {
    const r = new Repeated(4)
    r.add(2, result('ir.x@soap11#2', 'failed', 'boom'))
    r.add(1, result('ir.x@soap11', 'passed'))
    r.add(4, result('ir.x@soap11#4', 'passed'))
    expect(r.complete).toBe(false)
    r.add(3, result('ir.x@soap11#3', 'warned', 'meh'))
    const folded = r.result()!
    expect(folded.id).toBe('ir.x@soap11')
    expect(folded.status).toBe('failed')
    expect(folded.message).toBe('#2: boom\n#3: meh')
    expect(folded.failures.map((f) => f.message)).toEqual(['#2: boom', '#3: meh'])
    expect(folded.repeat).toEqual({ runs: 4, passed: 2, failed: 1, warned: 1, skipped: 0, notPassed: [2, 3] })
    expect(folded.requests).toBe(8)
    // Run 1 and the two runs that did not pass keep their exchanges; steps point at them.
    expect(folded.exchanges.map((x) => x.request.url)).toEqual(['http://x/ir.x@soap11', 'http://x/ir.x@soap11#2', 'http://x/ir.x@soap11#3'])
    expect(folded.steps.map((s) => [s.detail, s.exchanges])).toEqual([
      ['run #1', [0]],
      ['run #2', [1]],
      ['run #3', [2]],
    ])
  })

  test('a cancelled run is folded from what ran', () => {
    const r = new Repeated(3)
    r.add(1, result('ir.x@soap11', 'passed'))
    r.abandon(2)
    expect(r.complete).toBe(true)
    expect(r.result()!.repeat).toMatchObject({ runs: 1, passed: 1 })
  })
})

describe('--shard i/n', () => {
  test('parses i/n and refuses anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 })
    for (const bad of ['0/4', '5/4', '1/0', '2', 'a/b', '-1/2']) expect(() => parseShard(bad), bad).toThrow(/--shard expects i\/n/)
  })

  test('the shards are disjoint, cover the plan exactly, and differ in size by at most one', () => {
    const cases = Array.from({ length: 23 }, (_, i) => `c${String(i).padStart(2, '0')}`)
    const shards = [1, 2, 3, 4].map((index) => shardCases(cases, { index, count: 4 }))
    expect(shards.flat().sort()).toEqual(cases)
    const sizes = shards.map((s) => s.length)
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
    expect(shardCases(cases, { index: 1, count: 1 })).toEqual(cases)
  })
})

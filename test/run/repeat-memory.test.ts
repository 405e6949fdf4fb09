import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, test } from 'vitest'
import { Repeated } from '../../src/engine/repeat.ts'
import type { CheckResult } from '../../src/engine/result.ts'

/**
 * `--repeat N` in one process (conform run hosts the engine on its main thread, no worker heap bound any more): what a
 * check keeps of its N runs must not grow with N. Observed through a full collection: what is still reachable is kept.
 */
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

function result(k: number, status: CheckResult['status'], message: string | null = null): CheckResult {
  const id = k === 1 ? 'ir.x@soap11' : `ir.x@soap11#${k}`
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
    durationMs: k,
    requests: 2,
    exchanges: [{ operation: 'Op', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1, request: { method: 'GET', url: `http://x/${id}`, headers: {} } }],
    steps: [{ name: 'call', status: 'passed', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1, exchanges: [0] }],
  }
}

describe('--repeat N: what a check keeps of its runs', () => {
  test('passed runs after the first keep nothing of their own (at most one stands for them): N runs hold what a few do', async () => {
    const r = new Repeated(200)
    const held: Array<WeakRef<object>> = []
    // In a function of its own: nothing of a run stays on this one's stack.
    ;(() => {
      for (let k = 1; k <= 200; k++) {
        const run = result(k, 'passed')
        // Each run's own values: reachable only if the run's result (or a copy of it) is kept.
        if (k > 1) held.push(new WeakRef(run.covers))
        r.add(k, run)
      }
    })()
    await new Promise((done) => setTimeout(done, 0))
    gc()
    expect(held.filter((w) => w.deref() !== undefined).length).toBeLessThanOrEqual(1)
    // What is reported is unchanged: run 1's exchanges, every run's time and requests, the counts.
    const folded = r.result()!
    expect(folded.status).toBe('passed')
    expect(folded.durationMs).toBe((200 * 201) / 2)
    expect(folded.requests).toBe(400)
    expect(folded.exchanges.map((x) => x.request.url)).toEqual(['http://x/ir.x@soap11'])
    expect(folded.repeat).toEqual({ runs: 200, passed: 200, failed: 0, warned: 0, skipped: 0, notPassed: [] })
  })

  test('a failed run among passed ones is reported as before: its message, its failures, its exchanges', () => {
    const r = new Repeated(5)
    for (const k of [3, 1, 5, 2]) r.add(k, result(k, 'passed'))
    r.add(4, result(4, 'failed', 'boom'))
    const folded = r.result()!
    expect(folded.id).toBe('ir.x@soap11')
    expect(folded.status).toBe('failed')
    expect(folded.message).toBe('#4: boom')
    expect(folded.failures.map((f) => f.message)).toEqual(['#4: boom'])
    expect(folded.durationMs).toBe(15)
    expect(folded.exchanges.map((x) => x.request.url)).toEqual(['http://x/ir.x@soap11', 'http://x/ir.x@soap11#4'])
    expect(folded.steps.map((s) => s.detail)).toEqual(['run #1', 'run #4'])
  })

  test('run 1 never came (it broke inside the suite): a passed later run stands for the check', () => {
    const r = new Repeated(3)
    r.abandon(1)
    r.add(2, result(2, 'passed'))
    r.add(3, result(3, 'passed'))
    const folded = r.result()!
    expect(folded.id).toBe('ir.x@soap11')
    expect(folded.status).toBe('passed')
    expect(folded.durationMs).toBe(5)
    expect(folded.repeat).toMatchObject({ runs: 2, passed: 2 })
  })
})

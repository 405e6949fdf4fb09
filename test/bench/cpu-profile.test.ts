import { describe, expect, test } from 'vitest'
import { placeOf, profileFileIds, threadTime, type CpuProfile } from '../../bench/lib/cpu-profile.ts'

const ROOT = '/work/p'
const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 })

/** Samples every 1000 µs from t = 0: node ids in order. */
function profile(samples: number[]): CpuProfile {
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)', ''), children: [2, 3, 4, 5] },
      { id: 2, callFrame: frame('(idle)', '') },
      { id: 3, callFrame: frame('redact', `file://${ROOT}/src/redact.ts`) },
      { id: 4, callFrame: frame('write', `file://${ROOT}/node_modules/saxes/saxes.js`) },
      { id: 5, callFrame: frame('(garbage collector)', '') },
    ],
    startTime: 0,
    endTime: samples.length * 1000,
    samples,
    timeDeltas: samples.map(() => 1000),
  }
}

describe('bench CPU profiles', () => {
  test('places: packages by name (scoped too), project files by path, builtins as they are', () => {
    expect(placeOf(`file://${ROOT}/node_modules/@faker-js/faker/dist/x.js`, ROOT)).toBe('@faker-js/faker')
    expect(placeOf(`file://${ROOT}/node_modules/undici/lib/a/b.js`, ROOT)).toBe('undici')
    expect(placeOf(`file://${ROOT}/src/engine/check-execution.ts`, ROOT)).toBe('src/engine/check-execution.ts')
    expect(placeOf('node:internal/timers', ROOT)).toBe('node:internal/timers')
    expect(placeOf('', ROOT)).toBe('(native)')
  })

  test('busy time, GC and self time per place and function, inside the window only', () => {
    // t = 1..10 ms: idle, redact ×3, saxes ×2, GC, idle, redact, saxes (a sample lasts until the next one: the last, 0)
    const p = profile([2, 3, 3, 3, 4, 4, 5, 2, 3, 4])
    const all = threadTime(p, ROOT)
    expect(all.busyMs).toBe(7)
    expect(all.gcMs).toBe(1)
    expect(all.byPlace).toEqual([
      { place: 'src/redact.ts', ms: 4 },
      { place: 'saxes', ms: 2 },
      { place: '(native)', ms: 1 },
    ])
    expect(all.byFunction[0]).toEqual({ fn: 'redact src/redact.ts:10', ms: 4 })
    // Samples stamped 2..5 ms: redact ×3, saxes ×1.
    const part = threadTime(p, ROOT, 2000, 5000)
    expect(part.busyMs).toBe(4)
    expect(part.byPlace).toEqual([
      { place: 'src/redact.ts', ms: 3 },
      { place: 'saxes', ms: 1 },
    ])
  })

  test('profile file names give the process and the thread', () => {
    expect(profileFileIds('CPU.20261122.113602.11756.0.001.cpuprofile')).toEqual({ pid: 11756, thread: 0 })
    expect(profileFileIds('CPU.20261122.113603.11756.1.002.cpuprofile')).toEqual({ pid: 11756, thread: 1 })
    expect(profileFileIds('summary.json')).toBeUndefined()
  })
})

/**
 * Reads V8 CPU profiles (`--cpu-prof`) for `npm run bench -- --profile`: where each thread spent the checks' window.
 * Pure: a profile in, figures out.
 */

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}
interface ProfileNode {
  id: number
  callFrame: CallFrame
  children?: number[]
}
export interface CpuProfile {
  nodes: ProfileNode[]
  /** Monotonic clock, µs (the clock of process.hrtime). */
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

export interface ThreadTime {
  /** Sampled time inside the window, ms. */
  windowMs: number
  /** Of which running JavaScript, compiling or collecting garbage (all but idle), ms. */
  busyMs: number
  gcMs: number
  /** Self time by where the code lives: a package (`undici`), a project file (`src/redact.ts`) or `node:…`, busiest first. */
  byPlace: Array<{ place: string; ms: number }>
  /** Self time by function, busiest first. */
  byFunction: Array<{ fn: string; ms: number }>
}

/** `file:///…/node_modules/undici/lib/x.js` → `undici`; a project file → its path from `root`; builtins as they are. */
export function placeOf(url: string, root: string): string {
  if (url === '') return '(native)'
  const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)
  if (nm) return nm[1]!
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path
}

/** Self time per place and function within [fromUs, toUs] of the monotonic clock. */
export function threadTime(p: CpuProfile, root: string, fromUs = -Infinity, toUs = Infinity, top = 25): ThreadTime {
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const places = new Map<string, number>()
  const fns = new Map<string, number>()
  let t = p.startTime
  let windowUs = 0
  let idleUs = 0
  let gcUs = 0
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i]!
    const dt = p.timeDeltas[i + 1] ?? 0
    if (t < fromUs || t > toUs) continue
    windowUs += dt
    const frame = byId.get(p.samples[i]!)!.callFrame
    if (frame.functionName === '(idle)') {
      idleUs += dt
      continue
    }
    if (frame.functionName === '(garbage collector)') gcUs += dt
    const place = placeOf(frame.url, root)
    places.set(place, (places.get(place) ?? 0) + dt)
    const fn = `${frame.functionName || '(anonymous)'} ${place}${frame.url ? `:${frame.lineNumber + 1}` : ''}`
    fns.set(fn, (fns.get(fn) ?? 0) + dt)
  }
  const ranked = <K extends string>(m: Map<string, number>, key: K) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => ({ [key]: k, ms: us / 1000 }) as { [P in K]: string } & { ms: number })
  return {
    windowMs: windowUs / 1000,
    busyMs: (windowUs - idleUs) / 1000,
    gcMs: gcUs / 1000,
    byPlace: ranked(places, 'place'),
    byFunction: ranked(fns, 'fn'),
  }
}

/** `CPU.20261122.113602.11756.0.001.cpuprofile` → pid 11756, thread 0. */
export function profileFileIds(name: string): { pid: number; thread: number } | undefined {
  const m = /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(name)
  return m ? { pid: Number(m[1]), thread: Number(m[2]) } : undefined
}

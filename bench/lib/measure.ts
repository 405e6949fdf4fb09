/** Runs a command as a child process and measures it from outside: wall time and peak memory of its process tree. */
import { spawn } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import type { Har } from '../../src/report/har.ts'

export interface Measured {
  code: number | null
  /** The process's id (the root of the measured tree). */
  pid: number
  /** Epoch ms when the process was spawned. */
  spawnedAt: number
  /** Spawn to exit. */
  wallMs: number
  /** Peak of the summed resident set of the process and its descendants, sampled every `sampleMs`. */
  peakRssBytes: number
  /** Largest VmHWM (the kernel's own peak) of any one process of the tree. */
  peakProcessBytes: number
  /** VmHWM of each process of the tree, by pid (the CLI, vitest's worker, …). */
  peakByProcess: Record<string, number>
  stdout: string
  stderr: string
  /** Every thread's CPU time over the run, sampled with the memory (see cpuIn). */
  threads: ThreadSeries[]
}

/** One thread of the measured tree: what it is, and its CPU time so far (ms) at each sample (epoch ms). */
export interface ThreadSeries {
  pid: number
  tid: number
  /** The process's command line (what it is: the CLI, vitest's worker, the Allure writer). */
  command: string
  /** The thread's name (`MainThread`, `V8Worker`, `WorkerThread`, …). */
  name: string
  samples: Array<{ at: number; cpuMs: number }>
}

/** A thread's CPU time so far, ms (Linux /proc; clock ticks of 10 ms). */
function threadCpuMs(pid: number, tid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return undefined
  }
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return fallback
  }
}

/**
 * CPU time each thread spent within [fromAt, toAt] (epoch ms): its CPU at the last sample at or before toAt minus
 * that at the last sample at or before fromAt (0 if it was not running yet). Pure. Samples every 25 ms and clock
 * ticks of 10 ms: each figure is good to about 20 ms.
 */
export function cpuIn(threads: readonly ThreadSeries[], fromAt: number, toAt: number): Array<{ thread: ThreadSeries; cpuMs: number }> {
  const at = (t: ThreadSeries, when: number) => {
    let v = 0
    for (const s of t.samples) {
      if (s.at > when) break
      v = s.cpuMs
    }
    return v
  }
  return threads.map((thread) => ({ thread, cpuMs: at(thread, toAt) - at(thread, fromAt) })).filter((x) => x.cpuMs > 0)
}

function statusOf(pid: number): { pid: number; rss: number; hwm: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0) * 1024
    return { pid, rss: kb('VmRSS'), hwm: kb('VmHWM') }
  } catch {
    return undefined
  }
}

/** The process and every descendant (Linux: /proc/<pid>/task/<tid>/children). */
function tree(root: number): Array<{ pid: number; rss: number; hwm: number }> {
  const out: Array<{ pid: number; rss: number; hwm: number }> = []
  const walk = (pid: number) => {
    const s = statusOf(pid)
    if (!s) return
    out.push(s)
    let tasks: string[] = []
    try {
      tasks = readdirSync(`/proc/${pid}/task`)
    } catch {
      return
    }
    for (const tid of tasks) {
      let children = ''
      try {
        children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8')
      } catch {
        continue
      }
      for (const c of children.split(' ').filter(Boolean)) walk(Number(c))
    }
  }
  walk(root)
  return out
}

export function measure(command: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; sampleMs?: number }): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const spawnedAt = performance.timeOrigin + performance.now()
    const child = spawn(command, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env } })
    let stdout = ''
    let stderr = ''
    let peakRss = 0
    let peakProcess = 0
    const byProcess: Record<string, number> = {}
    const threads = new Map<string, ThreadSeries>()
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    const sample = () => {
      if (!child.pid) return
      const procs = tree(child.pid)
      peakRss = Math.max(
        peakRss,
        procs.reduce((n, p) => n + p.rss, 0),
      )
      peakProcess = Math.max(peakProcess, ...procs.map((p) => p.hwm), 0)
      for (const p of procs) byProcess[p.pid] = Math.max(byProcess[p.pid] ?? 0, p.hwm)
      const at = performance.timeOrigin + performance.now()
      for (const p of procs) {
        let tids: string[] = []
        try {
          tids = readdirSync(`/proc/${p.pid}/task`)
        } catch {
          continue
        }
        for (const tid of tids) {
          const key = `${p.pid}/${tid}`
          let t = threads.get(key)
          if (!t) {
            t = { pid: p.pid, tid: Number(tid), command: '', name: '', samples: [] }
            threads.set(key, t)
          }
          // A new process shows its parent's command line until it has exec'd, a new thread its creator's name until
          // it names itself: read both again over a thread's first samples.
          if (t.samples.length < 8) {
            t.command = readOr(`/proc/${p.pid}/cmdline`, t.command).split('\0').filter(Boolean).join(' ') || t.command
            t.name = readOr(`/proc/${p.pid}/task/${tid}/comm`, t.name).trim() || t.name
          }
          const cpuMs = threadCpuMs(p.pid, Number(tid))
          if (cpuMs !== undefined) t.samples.push({ at, cpuMs })
        }
      }
    }
    const timer = setInterval(sample, opts.sampleMs ?? 25)
    child.on('error', (e) => {
      clearInterval(timer)
      reject(e)
    })
    child.on('exit', (code) => {
      clearInterval(timer)
      const wallMs = performance.timeOrigin + performance.now() - spawnedAt
      resolve({
        code,
        pid: child.pid ?? 0,
        spawnedAt,
        wallMs,
        peakRssBytes: peakRss,
        peakProcessBytes: peakProcess,
        peakByProcess: byProcess,
        stdout,
        stderr,
        threads: [...threads.values()],
      })
    })
  })
}

/** CPU time (user + system) a live process has used so far, ms (Linux /proc; clock ticks of 10 ms). */
export function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

export interface TraceMark {
  mark: string
  at: number
  monoUs: number
  pid: number
  cpuMs: number
  threadCpuMs: number
}

/** The phase marks a run wrote with CONFORM_TRACE=FILE (src/run/trace.ts), by name. */
export function readTrace(file: string): Map<string, TraceMark> {
  const marks = new Map<string, TraceMark>()
  for (const line of readFileSync(file, 'utf8').split('\n'))
    if (line.trim()) {
      const m = JSON.parse(line) as TraceMark
      marks.set(m.mark, m)
    }
  return marks
}

/** The checks' window of a run (the worker's readers ready → its last check done) and the worker's CPU in it (all its threads, and its main thread alone). */
export function checkWindow(
  marks: Map<string, TraceMark>,
): { fromUs: number; toUs: number; fromAt: number; workerPid: number; workerCpuMs: number; workerThreadCpuMs: number } | undefined {
  // The checks ran in vitest's worker (its marks), or, since the engine owns the run, in the CLI itself.
  const a = marks.get('worker: readers ready') ?? marks.get('target started')
  const b = marks.get('worker: last check done') ?? marks.get('last check done')
  if (!a || !b || a.pid !== b.pid) return undefined
  return { fromUs: a.monoUs, toUs: b.monoUs, fromAt: a.at, workerPid: a.pid, workerCpuMs: b.cpuMs - a.cpuMs, workerThreadCpuMs: b.threadCpuMs - a.threadCpuMs }
}

/** What a thread of a `conform run` tree is, for a person: its process (the CLI, the checks' worker) and its part. */
export function threadRole(t: ThreadSeries, cliPid: number): string {
  const process = t.pid === cliPid ? 'conform' : /vitest/.test(t.command) ? "checks' worker" : (t.command.split(' ')[0] ?? '?')
  const part =
    t.name === 'MainThread'
      ? 'main thread'
      : t.name === 'V8Worker'
        ? "V8's compiler and GC threads"
        : t.name === 'WorkerThread' && t.pid === cliPid
          ? "the reference's thread"
          : 'other threads'
  return `${process}: ${part}`
}

/** First request sent and last answer received, from a HAR's timestamps (epoch ms). */
export function requestSpan(har: Har): { first: number; last: number } {
  let first = Infinity
  let last = -Infinity
  for (const e of har.log.entries) {
    const t = Date.parse(e.startedDateTime)
    first = Math.min(first, t)
    last = Math.max(last, t + e.time)
  }
  return { first, last }
}

/** The median of some figures (NaN for none). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

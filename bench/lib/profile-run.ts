/**
 * `npm run bench -- --profile`: one `conform run` with a V8 CPU profile of every thread (the CLI's main thread, the
 * reference's thread, vitest's worker that runs the checks), summarised over the checks' window: how busy each thread
 * was, and where the worker's time went. The .cpuprofile files stay for Chrome DevTools or speedscope. Profiling
 * itself costs 10–20 %: read the shares, not the absolute times.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Har } from '../../src/report/har.ts'
import { profileFileIds, threadTime, type CpuProfile, type ThreadTime } from './cpu-profile.ts'
import { checkWindow, measure, readTrace } from './measure.ts'

export async function profileRun(o: { root: string; conform: string; seed: string; results: string }): Promise<string> {
  const dir = join(o.results, `profile-${new Date().toISOString().replace(/[:.]/g, '-')}`)
  mkdirSync(dir, { recursive: true })
  const trace = join(dir, 'trace.jsonl')
  const out = join(dir, 'run')
  const m = await measure(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, o.conform, 'run', '--seed', o.seed, '--out', out], {
    cwd: o.root,
    env: { CONFORM_TRACE: trace },
  })
  if (m.code !== 0) throw new Error(`conform run exited ${m.code}:\n${m.stderr.slice(-2000)}`)
  const marks = readTrace(trace)
  const window = checkWindow(marks)
  if (!window) throw new Error(`the run left no checks' window in ${trace}`)
  const cliPid = marks.get('process start')?.pid
  const requests = (JSON.parse(readFileSync(join(out, 'exchanges.har'), 'utf8')) as Har).log.entries.length

  const threads: Array<{ name: string; file: string; time: ThreadTime }> = []
  for (const file of readdirSync(dir).sort()) {
    const ids = profileFileIds(file)
    if (!ids) continue
    const name =
      ids.pid === window.workerPid
        ? 'vitest worker (the checks)'
        : ids.pid === cliPid
          ? ids.thread === 0
            ? 'conform main thread (vitest, reporters)'
            : 'reference thread'
          : `pid ${ids.pid} thread ${ids.thread}`
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile
    threads.push({ name, file, time: threadTime(profile, o.root, window.fromUs, window.toUs) })
  }
  const windowMs = (window.toUs - window.fromUs) / 1000
  const lines = [`checks' window ${windowMs.toFixed(0)} ms, ${requests} requests (profiled: expect 10–20 % more than unprofiled)`, '']
  for (const t of threads) {
    lines.push(
      `${t.name}: busy ${t.time.busyMs.toFixed(0)} ms (${((t.time.busyMs / windowMs) * 100).toFixed(0)} % of the window), GC ${t.time.gcMs.toFixed(0)} ms, ${(t.time.busyMs / requests).toFixed(3)} ms per request`,
    )
    for (const p of t.time.byPlace.slice(0, 12)) lines.push(`  ${p.ms.toFixed(1).padStart(7)} ms  ${p.place}`)
  }
  const worker = threads.find((t) => t.name.startsWith('vitest worker'))
  if (worker) {
    lines.push('', 'the worker, by function (self time):')
    for (const f of worker.time.byFunction.slice(0, 20)) lines.push(`  ${f.ms.toFixed(1).padStart(7)} ms  ${f.fn}`)
  }
  lines.push('', `profiles (open in Chrome DevTools → Performance, or speedscope): ${dir}`, '')
  writeFileSync(
    join(dir, 'summary.json'),
    `${JSON.stringify({ windowMs, requests, threads: threads.map((t) => ({ name: t.name, file: t.file, ...t.time })) }, null, 2)}\n`,
  )
  return lines.join('\n')
}

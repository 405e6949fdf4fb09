/**
 * `npm run bench`: how much of a run is the suite's own time, and how runs scale with --repeat.
 *
 *   1. The whole suite against the embedded reference (`conform run`, a child process), `--runs` times; each time
 *      its HAR is replayed with a plain undici loop, at the target's concurrency, against a fresh reference in a
 *      process of its own. Suite time and replay time are both first request to last answer.
 *   2. `conform run --repeat N` for each N of `--repeats`: command-to-exit time and peak memory of the process tree.
 *
 * Prints medians and writes everything to bench/results/<time>.json (and latest.json). Not part of npm test.
 * Options: --runs N (5), --repeats 1,10,50, --no-scale, --keep (keep the last runs' report folders), --profile (one run
 * with a CPU profile of every thread instead: bench/lib/profile-run.ts), --against REV (this tree against another
 * revision, runs interleaved: bench/lib/against.ts), --latency (a staging-like target behind a proxy adding --delay ms each
 * way, at each --concurrency, with --accounts per role; --peer N: N pairs against Step CI: bench/lib/latency.ts).
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import type { Har } from '../src/report/har.ts'
import type { ConformanceReport } from '../src/report/conformance.ts'
import { loadProject } from '../src/project.ts'
import { checkWindow, cpuIn, cpuMsOf, measure, median, readTrace, requestSpan, threadRole, type Measured } from './lib/measure.ts'
import { against } from './lib/against.ts'
import { latencyBench } from './lib/latency.ts'
import { profileRun } from './lib/profile-run.ts'
import { replay } from './lib/replay.ts'

const ROOT = resolve(import.meta.dirname, '..')
const RESULTS = join(ROOT, 'bench', 'results')
const CONFORM = join(ROOT, 'bin', 'conform.mjs')
const SEED = '42'

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    repeats: { type: 'string', default: '1,10,50' },
    'no-scale': { type: 'boolean' },
    keep: { type: 'boolean' },
    profile: { type: 'boolean' },
    against: { type: 'string' },
    latency: { type: 'boolean' },
    delay: { type: 'string', default: '25' },
    concurrency: { type: 'string', default: '4,16' },
    accounts: { type: 'string', default: '16' },
    peer: { type: 'string', default: '0' },
  },
})
const runs = Number(values.runs ?? (values.latency ? 1 : 5))
const repeats = values.repeats
  .split(',')
  .map(Number)
  .filter((n) => n >= 1)

const ms = (x: number) => `${x.toFixed(0)} ms`
const mb = (x: number) => `${(x / 2 ** 20).toFixed(0)} MB`

async function withReference<T>(fn: (ref: { url: string; controlKey: string }, pid: number) => Promise<T>): Promise<T> {
  const child = spawn(process.execPath, [join(ROOT, 'bench', 'reference-process.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  const line = await new Promise<string>((res, rej) => {
    createInterface({ input: child.stdout }).once('line', res)
    child.once('exit', (code) => rej(new Error(`the reference process exited (${code})`)))
  })
  try {
    return await fn(JSON.parse(line) as { url: string; controlKey: string }, child.pid!)
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
  }
}

/**
 * Each run starts on a quiet disk: a run writes (and the next deletes) ~1900 Allure files, and on a small VM the
 * kernel's write-back of those would otherwise slow whichever run comes next.
 */
async function settle(): Promise<void> {
  if (process.platform !== 'win32') execFileSync('sync')
  await new Promise((r) => setTimeout(r, 500))
}

async function conform(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measured> {
  await settle()
  return measure(process.execPath, [CONFORM, ...args], { cwd: ROOT, env })
}

function check(m: Measured, what: string): void {
  if (m.code !== 0) throw new Error(`${what} exited ${m.code}:\n${m.stdout.slice(-2000)}\n${m.stderr.slice(-2000)}`)
}

function clearRunFolders(): void {
  const outs = join(RESULTS, 'out')
  mkdirSync(outs, { recursive: true })
  for (const name of readdirSync(outs)) if (/^(suite|repeat|against)\b/.test(name)) rmSync(join(outs, name), { recursive: true, force: true })
}

async function main(): Promise<void> {
  mkdirSync(RESULTS, { recursive: true })
  clearRunFolders()
  if (values.against) {
    const summary = await against({ root: ROOT, rev: values.against, runs: Number(values.runs), seed: SEED, results: RESULTS })
    clearRunFolders()
    process.stdout.write(`${summary}\n`)
    return
  }
  if (values.latency) {
    await latencyBench({
      root: ROOT,
      conform: CONFORM,
      results: RESULTS,
      seed: SEED,
      runs,
      delayMs: Number(values.delay),
      atLeast: Number(values.accounts),
      concurrencies: values.concurrency
        .split(',')
        .map(Number)
        .filter((n) => n >= 1),
      peerPairs: Number(values.peer),
    })
    return
  }
  if (values.profile) {
    await settle()
    const summary = await profileRun({ root: ROOT, conform: CONFORM, seed: SEED, results: RESULTS })
    process.stdout.write(summary)
    return
  }
  const project = loadProject()
  const concurrency = project.config.targets.reference!.limits.concurrency
  const suite: Array<Record<string, number>> = []
  for (let i = 1; i <= runs; i++) {
    // One folder for every run, as a user re-running conform has it (the Allure writer reuses the previous run's files).
    const out = join(RESULTS, 'out', 'suite')
    const trace = join(RESULTS, 'out', `suite-${i}.trace.jsonl`)
    rmSync(trace, { force: true })
    const m = await conform(['run', '--seed', SEED, '--out', out], { CONFORM_TRACE: trace })
    check(m, 'conform run')
    const window = checkWindow(readTrace(trace))
    rmSync(trace, { force: true })
    const har = JSON.parse(readFileSync(join(out, 'exchanges.har'), 'utf8')) as Har
    const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport
    const span = requestSpan(har)
    await settle()
    const r = await withReference(async (ref, pid) => {
      let before = 0
      let ownBefore = process.cpuUsage()
      const result = await replay(har, report, project, ref, concurrency, () => {
        before = cpuMsOf(pid)
        ownBefore = process.cpuUsage()
      })
      const own = process.cpuUsage(ownBefore)
      return { ...result, referenceCpuMs: cpuMsOf(pid) - before, replayLoopCpuMs: (own.user + own.system) / 1000 }
    })
    // Where the machine's CPU went while the suite's requests ran (first request → last answer), by thread role.
    const suiteCpu: Record<string, number> = {}
    for (const { thread, cpuMs } of cpuIn(m.threads, span.first, span.last)) {
      const role = threadRole(thread, m.pid)
      suiteCpu[role] = (suiteCpu[role] ?? 0) + cpuMs
    }
    const row = {
      checks: report.summary.checks,
      requests: har.log.entries.length,
      commandToExitMs: m.wallMs,
      startToFirstRequestMs: span.first - m.spawnedAt,
      suiteMs: span.last - span.first,
      lastAnswerToExitMs: m.spawnedAt + m.wallMs - span.last,
      replayMs: r.spanMs,
      replayAnswersDiffer: r.answersDiffer,
      ratio: (span.last - span.first) / r.spanMs,
      overheadPerCheckMs: (span.last - span.first - r.spanMs) / report.summary.checks,
      peakRssBytes: m.peakRssBytes,
      // CPU per request: the checks' worker while the checks ran, against the reference's process during the replay.
      workerCpuPerRequestMs: window ? window.workerCpuMs / har.log.entries.length : Number.NaN,
      // Of which its main thread (the checks' JavaScript); the rest is V8 compiling hot code and collecting garbage.
      workerThreadCpuPerRequestMs: window ? window.workerThreadCpuMs / har.log.entries.length : Number.NaN,
      // The worker's readers ready → its last check done, and how far the first request came before that window.
      checksWindowMs: window ? (window.toUs - window.fromUs) / 1000 : Number.NaN,
      firstRequestBeforeWindowMs: window ? window.fromAt - span.first : Number.NaN,
      referenceCpuPerRequestMs: r.referenceCpuMs / r.requests,
      suiteCpuMs: Object.values(suiteCpu).reduce((a, b) => a + b, 0),
      replayCpuMs: r.referenceCpuMs + r.replayLoopCpuMs,
      replayLoopCpuMs: r.replayLoopCpuMs,
      replayReferenceCpuMs: r.referenceCpuMs,
      ...Object.fromEntries(Object.entries(suiteCpu).map(([role, cpuMs]) => [`cpu ${role}`, cpuMs])),
    }
    suite.push(row)
    process.stdout.write(
      `run ${i}/${runs}: ${row.checks} checks, ${row.requests} requests; command→exit ${ms(row.commandToExitMs)}, suite ${ms(row.suiteMs)}, replay ${ms(row.replayMs)} (${r.answersDiffer} of its answers differ from the run's), ratio ${row.ratio.toFixed(2)}\n`,
    )
  }

  const scale: Array<Record<string, number>> = []
  if (!values['no-scale']) {
    for (const n of repeats) {
      const out = join(RESULTS, 'out', 'repeat')
      const m = await conform(['run', '--seed', SEED, '--repeat', String(n), '--out', out])
      check(m, `conform run --repeat ${n}`)
      const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport
      const checkRuns = report.checks.reduce((k, c) => k + (c.repeat?.runs ?? 1), 0)
      scale.push({ repeat: n, checkRuns, commandToExitMs: m.wallMs, peakRssBytes: m.peakRssBytes, peakProcessBytes: m.peakProcessBytes })
      process.stdout.write(`--repeat ${n}: ${checkRuns} check runs in ${ms(m.wallMs)}, peak ${mb(m.peakRssBytes)}\n`)
    }
  }
  // Deleted at the end, not between runs: for 30 s after ~2000 files are deleted, ext4 makes creating the next ~2000
  // cost far more (its recently_deleted() check while it hunts for free inodes), which would weigh on every run but the first.
  if (!values.keep) clearRunFolders()

  const med = (k: string) => median(suite.map((r) => r[k] ?? 0))
  const summary = {
    checks: suite[0]?.checks,
    commandToExitMs: med('commandToExitMs'),
    startToFirstRequestMs: med('startToFirstRequestMs'),
    suiteMs: med('suiteMs'),
    replayMs: med('replayMs'),
    ratio: med('ratio'),
    overheadPerCheckMs: med('overheadPerCheckMs'),
    lastAnswerToExitMs: med('lastAnswerToExitMs'),
    peakRssBytes: med('peakRssBytes'),
    workerCpuPerRequestMs: med('workerCpuPerRequestMs'),
    workerThreadCpuPerRequestMs: med('workerThreadCpuPerRequestMs'),
    referenceCpuPerRequestMs: med('referenceCpuPerRequestMs'),
    suiteCpuMs: med('suiteCpuMs'),
  }
  const cores = availableParallelism()
  const pct = (x: number) => `${(x * 100).toFixed(0)} %`
  // Roles present in any run, busiest first.
  const floor =
    median(
      suite.map((r) =>
        Object.entries(r)
          .filter(([k]) => k.startsWith('cpu ') && !k.startsWith('cpu Allure writer'))
          .reduce((a, [, v]) => a + v, 0),
      ),
    ) / cores
  const roles = [
    ...new Set(
      suite.flatMap((r) =>
        Object.keys(r)
          .filter((k) => k.startsWith('cpu '))
          .map((k) => k.slice(4)),
      ),
    ),
  ].sort((a, b) => med(`cpu ${b}`) - med(`cpu ${a}`))
  const lines = [
    '',
    `suite vs replay, medians of ${runs} runs (${summary.checks} checks, concurrency ${concurrency}):`,
    `  command → exit            ${ms(summary.commandToExitMs)}   (issue 23: < 3000 ms, through npm)`,
    `  process start → 1st req.  ${ms(summary.startToFirstRequestMs)}`,
    `  suite (1st req. → last)   ${ms(summary.suiteMs)}`,
    `  replay (plain undici)     ${ms(summary.replayMs)}`,
    `  ratio suite / replay      ${summary.ratio.toFixed(2)}   (a diagnostic: the shared CPU, not a target)`,
    `  own time per check        ${summary.overheadPerCheckMs.toFixed(2)} ms   (a diagnostic)`,
    `  last answer → exit        ${ms(summary.lastAnswerToExitMs)}   (reports, shutdown)`,
    `  CPU per request: checks' worker ${summary.workerCpuPerRequestMs.toFixed(2)} ms (its main thread ${summary.workerThreadCpuPerRequestMs.toFixed(2)} ms, V8's compiler and collector threads the rest), the reference (replay) ${summary.referenceCpuPerRequestMs.toFixed(2)} ms`,
    `  peak memory (tree)        ${mb(summary.peakRssBytes)}`,
    '',
    `  CPU while the requests ran (all threads, ${cores} cores; medians):`,
    `    suite:  ${ms(summary.suiteCpuMs)} in ${ms(summary.suiteMs)} (${pct(summary.suiteCpuMs / (cores * summary.suiteMs))} of the machine)`,
    ...roles.map((role) => `      ${ms(med(`cpu ${role}`)).padStart(7)}  ${role}`),
    `    replay: ${ms(med('replayCpuMs'))} in ${ms(summary.replayMs)} (${pct(med('replayCpuMs') / (cores * summary.replayMs))}): the reference ${ms(med('replayReferenceCpuMs'))}, the undici loop ${ms(med('replayLoopCpuMs'))}`,
    `    the suite cannot take less than its CPU over ${cores} cores (the Allure writer's aside: it only takes what the rest leaves): ${ms(floor)}, ${(floor / summary.replayMs).toFixed(2)} × the replay`,
  ]
  if (scale.length) {
    const base = scale[0]!
    lines.push('', '  --repeat   check runs   command → exit   per check run   peak memory (tree)')
    for (const s of scale) {
      lines.push(
        `  ${String(s.repeat).padStart(8)}   ${String(s.checkRuns).padStart(10)}   ${ms(s.commandToExitMs!).padStart(14)}   ${`${(s.commandToExitMs! / s.checkRuns!).toFixed(2)} ms`.padStart(13)}   ${mb(s.peakRssBytes!).padStart(9)} (${((s.peakRssBytes! / base.peakRssBytes!) * 100).toFixed(0)} %)`,
      )
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`)
  const record = {
    at: new Date().toISOString(),
    node: process.version,
    cpus: (await import('node:os')).availableParallelism(),
    loadavg: (await import('node:os')).loadavg(),
    concurrency,
    summary,
    suite,
    scale,
  }
  const file = join(RESULTS, `${record.at.replace(/[:.]/g, '-')}.json`)
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`)
  writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(record, null, 2)}\n`)
  process.stdout.write(`\nwritten: ${file}\n`)
}

await main()

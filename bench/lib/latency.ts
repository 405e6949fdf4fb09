/**
 * `npm run bench -- --latency`: the suite as a user of a remote staging target feels it. `conform serve` with fixture
 * accounts (`--accounts` per role), behind a loopback proxy adding `--delay` ms each way, at each `--concurrency`:
 * `conform run` (the CLI, a child process), then its requests per executed check by purpose and its efficiency
 * against the shortest schedule its requests allow (bench/lib/latency-figures.ts). With `--peer N`: N interleaved
 * rounds of our run of the ECGrid REST checks and Step CI running the equivalent workflow (standalone tests) and the
 * same requests as our run (bench/lib/peer-workflow.ts).
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseEnv } from 'node:util'
import { accountsNeeded, fixturePools } from '../../src/engine/accounts.ts'
import { resolveEnv } from '../../src/config.ts'
import { loadProject, type Project } from '../../src/project.ts'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import type { Har } from '../../src/report/har.ts'
import { loadLine } from '../../src/report/load.ts'
import { startTarget } from '../../src/run/resolve-target.ts'
import { planRun } from '../../src/run/shard.ts'
import { latencyFigures, latencyLines, type HeldAccounts, type LatencyFigures } from './latency-figures.ts'
import { startLatencyTarget, type LatencyTarget } from './latency-target.ts'
import { measure, median, requestSpan } from './measure.ts'
import { peerWorkflow, type StepCiWorkflow, standaloneWorkflow, workflowRequests } from './peer-workflow.ts'

export interface LatencyOptions {
  root: string
  conform: string
  results: string
  seed: string
  delayMs: number
  concurrencies: number[]
  atLeast: number
  runs: number
  /** Interleaved pairs against Step CI (0: none). */
  peerPairs: number
}

const STEPCI = 'stepci@2.8.2'
const PEER_API = 'ecgrid-rest'

/**
 * Step CI, installed on first use into node_modules/.cache (not a devDependency: ~290 packages that only this bench
 * mode needs). Returns its runner's entry point.
 */
export function ensureStepCi(root: string): string {
  const dir = join(root, 'node_modules', '.cache', 'conform-bench', STEPCI.replace('@', '-'))
  const runner = join(dir, 'node_modules', '@stepci', 'runner', 'dist', 'index.js')
  if (!existsSync(runner)) {
    mkdirSync(dir, { recursive: true })
    process.stdout.write(`installing ${STEPCI} into ${dir} (once)\n`)
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', dir, STEPCI], { stdio: ['ignore', 'ignore', 'inherit'] })
  }
  return runner
}

/** The accounts each planned check holds, and the pools' sizes, as the run's scheduler counts them. */
async function heldAccounts(t: LatencyTarget, apis?: string[]): Promise<{ needs: Map<string, HeldAccounts[]>; capacity: (pool: string) => number }> {
  const project = loadProject({ configFile: t.config })
  const { target } = await startTarget(project, t.target)
  const pools = fixturePools(target)
  const cases = planRun(project, target, apis ? { apis } : {})
  return { needs: new Map(cases.map((c) => [c.id, accountsNeeded(c, target, pools)])), capacity: (pool) => pools.capacity(pool) }
}

async function conformRun(o: LatencyOptions, t: LatencyTarget, out: string, extra: string[] = []) {
  rmSync(out, { recursive: true, force: true })
  const m = await measure(
    process.execPath,
    [o.conform, 'run', '--config', t.config, '--target', t.target, '--env-file', t.envFile, '--seed', o.seed, '--out', out, ...extra],
    { cwd: o.root },
  )
  // A verdict (0 conformant, 1 failed checks, 4 incomplete) is a run to time; anything else stopped it.
  if (m.code !== 0 && m.code !== 1 && m.code !== 4) throw new Error(`conform run exited ${m.code}:\n${m.stdout.slice(-2000)}\n${m.stderr.slice(-2000)}`)
  if (m.code !== 0)
    process.stdout.write(
      `  (conform run exited ${m.code}: ${m.stdout
        .split('\n')
        .filter((l) => /^\d+ checks:|^verdict/.test(l))
        .join('; ')})\n`,
    )
  const har = JSON.parse(readFileSync(join(out, 'exchanges.har'), 'utf8')) as Har
  const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport
  return { m, har, report, span: requestSpan(har) }
}

/** Step CI's runner on the workflow, in a process of its own: spawn → exit, and what it reported. */
function stepCiRun(
  runner: string,
  workflow: unknown,
  secrets: Record<string, string>,
  root: string,
): Promise<{ wallMs: number; durationMs: number; steps: number; failedSteps: number; erroredSteps: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [join(root, 'bench', 'lib', 'stepci-child.ts')], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`Step CI's runner exited ${code}`))
      resolve({ wallMs: performance.now() - started, ...(JSON.parse(out) as { durationMs: number; steps: number; failedSteps: number; erroredSteps: number }) })
    })
    child.stdin.end(JSON.stringify({ runner, workflow, secrets }))
  })
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`

export async function latencyBench(o: LatencyOptions): Promise<string> {
  const project: Project = loadProject()
  const lines: string[] = []
  const say = (line: string) => {
    lines.push(line)
    process.stdout.write(`${line}\n`)
  }
  const record: Record<string, unknown> = {
    at: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model,
    cpus: availableParallelism(),
    loadavg: loadavg(),
    delayMs: o.delayMs,
    atLeast: o.atLeast,
    runs: [] as unknown[],
    peer: [] as unknown[],
  }
  const runner = o.peerPairs > 0 ? ensureStepCi(o.root) : undefined
  for (const concurrency of o.concurrencies) {
    const dir = mkdtempSync(join(tmpdir(), 'conform-latency-'))
    const t = await startLatencyTarget({
      root: o.root,
      conform: o.conform,
      project,
      dir,
      delayMs: o.delayMs,
      concurrency,
      atLeast: o.atLeast,
      seed: Number(o.seed),
    })
    // The config's env references (the control key, the reader's API key) resolve in this process's memory only, and
    // go with their target: a variable already set wins over an env file, so the next target's would not apply.
    const names = Object.keys(parseEnv(readFileSync(t.envFile, 'utf8')))
    try {
      process.loadEnvFile(t.envFile)
      const held = await heldAccounts(t)
      say(
        `\nconform serve behind a proxy adding ${o.delayMs} ms each way, ${t.accounts} fixture accounts (at least ${o.atLeast} per role), concurrency ${concurrency}:`,
      )
      const figures: LatencyFigures[] = []
      for (let i = 1; i <= o.runs; i++) {
        const { m, har, report, span } = await conformRun(o, t, join(dir, 'out'))
        const f = latencyFigures(har, report.checks, concurrency, 2 * o.delayMs, held)
        figures.push(f)
        ;(record.runs as unknown[]).push({
          concurrency,
          run: i,
          commandToExitMs: m.wallMs,
          startToFirstRequestMs: span.first - m.spawnedAt,
          ...f,
          load: report.load,
        })
        say(
          `run ${i}/${o.runs}: command → exit ${s(m.wallMs)} (process start → first check request ${s(span.first - m.spawnedAt)}: loading, preflight of every account)`,
        )
        for (const l of latencyLines(f, concurrency, o.delayMs)) say(l)
        if (report.load) say(`  the run's own figure: ${loadLine(report.load)}`)
      }
      if (o.runs > 1)
        say(
          `  median efficiency ${(median(figures.map((f) => f.efficiency)) * 100).toFixed(0)} %, request slots busy ${(median(figures.map((f) => f.busyShare)) * 100).toFixed(0)} %`,
        )
      if (runner) await peer(o, t, runner, concurrency, say, record)
    } finally {
      for (const name of names) delete process.env[name]
      await t.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const file = join(o.results, `latency-${String(record.at).replace(/[:.]/g, '-')}.json`)
  mkdirSync(o.results, { recursive: true })
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`)
  say(`\nwritten: ${file}`)
  return lines.join('\n')
}

type StepCiFigures = { wallMs: number; windowMs: number; requests: number; failedSteps: number; erroredSteps: number }

/**
 * Interleaved rounds: our run of the peer API's checks, then Step CI running the equivalent workflow (standalone
 * tests) and the same requests as our run, built from the first of ours; which of the two goes first alternates.
 */
async function peer(
  o: LatencyOptions,
  t: LatencyTarget,
  runner: string,
  concurrency: number,
  say: (l: string) => void,
  record: Record<string, unknown>,
): Promise<void> {
  const configured = loadProject({ configFile: t.config })
  const readBackAs = configured.apis.get(PEER_API)!.readBack.as
  const key = resolveEnv(configured.config.targets[t.target]!.apis[PEER_API]!.fixtures[readBackAs]![0]!.apiKey!)
  const ours: Array<{ wallMs: number; windowMs: number; requests: number }> = []
  const standalone: StepCiFigures[] = []
  const asSent: StepCiFigures[] = []
  let workflows: { standalone: StepCiWorkflow; asSent: StepCiWorkflow } | undefined
  const stepCi = async (w: StepCiWorkflow): Promise<StepCiFigures> => {
    const st = await stepCiRun(runner, w, { key }, o.root)
    return { wallMs: st.wallMs, windowMs: st.durationMs, requests: workflowRequests(w), failedSteps: st.failedSteps, erroredSteps: st.erroredSteps }
  }
  for (let i = 1; i <= o.peerPairs; i++) {
    const r = await conformRun(o, t, join(tmpdir(), `conform-peer-${process.pid}`), ['--api', PEER_API])
    ours.push({ wallMs: r.m.wallMs, windowMs: r.span.last - r.span.first, requests: r.har.log.entries.filter((e) => e.comment === undefined).length })
    workflows ??= { standalone: standaloneWorkflow(r.har, `${PEER_API}.`, concurrency), asSent: peerWorkflow(r.har, `${PEER_API}.`, concurrency) }
    if (i % 2) {
      standalone.push(await stepCi(workflows.standalone))
      asSent.push(await stepCi(workflows.asSent))
    } else {
      asSent.push(await stepCi(workflows.asSent))
      standalone.push(await stepCi(workflows.standalone))
    }
    const a = standalone.at(-1)!
    const b = asSent.at(-1)!
    process.stdout.write(
      `  round ${i}/${o.peerPairs}: conform ${s(ours.at(-1)!.wallMs)} (requests ${s(ours.at(-1)!.windowMs)}), Step CI standalone ${s(a.wallMs)} (requests ${s(a.windowMs)}), same requests ${s(b.wallMs)} (requests ${s(b.windowMs)})\n`,
    )
  }
  rmSync(join(tmpdir(), `conform-peer-${process.pid}`), { recursive: true, force: true })
  const med = <T>(xs: T[], k: keyof T) => median(xs.map((x) => Number(x[k])))
  const row = (name: string, a: number, b: number) => `    ${name.padEnd(28)}${s(a).padStart(10)}${s(b).padStart(10)}${(a / b).toFixed(2).padStart(20)}`
  say(`peer: our ${PEER_API} checks against Step CI (${STEPCI}'s runner), concurrency ${concurrency}, medians of ${o.peerPairs} interleaved rounds:`)
  say(`    ${''.padEnd(28)}${'conform'.padStart(10)}${'Step CI'.padStart(10)}${'conform ÷ Step CI'.padStart(20)}`)
  for (const [title, theirs] of [
    ['equivalent workflow (standalone tests): each Step CI test reads the users it touches first', standalone],
    ['same requests as our run (runner overhead)', asSent],
  ] as const) {
    say(`  ${title}`)
    say(row('command → exit', med(ours, 'wallMs'), med(theirs, 'wallMs')))
    say(row('first request → last answer', med(ours, 'windowMs'), med(theirs, 'windowMs')))
    say(
      `    requests: conform ${med(ours, 'requests')}, Step CI ${med(theirs, 'requests')}; Step CI steps answered otherwise than our run was (each *** key is the reader's): ${med(theirs, 'failedSteps')}, failed to send: ${med(theirs, 'erroredSteps')}`,
    )
  }
  ;(record.peer as unknown[]).push({ concurrency, ours, standalone, asSent })
}

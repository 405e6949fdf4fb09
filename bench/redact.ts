/**
 * `node bench/redact.ts [--against REV] [--rounds N] [--deviate a,b]`: the redactor's cost on a real run's results.
 *
 * Runs every check against the embedded reference in this process (the project's own Runner), recording what the
 * run asks of its redactor: each secret added and each result redacted, in order (the results before redaction).
 * Then replays that record, --rounds times, through this tree's src/redact.ts and through REV's (default: the revision
 * before the decoding redactor came in, src/redact-views.ts), interleaved, and prints the CPU time of each (median and
 * fastest). Nothing is written: the live secrets exist only in this process's memory.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { Runner } from '../src/engine/runner.ts'
import { planChecks } from '../src/engine/plan.ts'
import { loadProject } from '../src/project.ts'
import { Redactor } from '../src/redact.ts'
import { startTarget } from '../src/run/resolve-target.ts'

const ROOT = resolve(import.meta.dirname, '..')
const { values } = parseArgs({ options: { against: { type: 'string' }, rounds: { type: 'string', default: '7' }, deviate: { type: 'string', default: '' } } })

type Op = { add: string } | { redact: unknown }
interface RedactorLike {
  add(s: string | undefined): void
  redactValue<T>(v: T): T
}

/** Every add and redactValue of one run, in order. */
async function record(): Promise<Op[]> {
  const ops: Op[] = []
  const { add, redactValue } = Redactor.prototype
  Redactor.prototype.add = function (this: Redactor, s: string | undefined) {
    if (s) ops.push({ add: s })
    add.call(this, s)
  }
  // Only the outermost call of the deep walk is recorded (it recurses through the prototype method).
  let depth = 0
  Redactor.prototype.redactValue = function <T>(this: Redactor, v: T): T {
    if (depth === 0) ops.push({ redact: structuredClone(v) })
    depth++
    try {
      return redactValue.call(this, v) as T
    } finally {
      depth--
    }
  }
  const project = loadProject()
  const started = await startTarget(project, 'reference', values.deviate ? values.deviate.split(',') : [])
  const runner = new Runner({ target: started.target, apis: project.apis, catalogue: project.catalogue, seed: 42 })
  try {
    await runner.runAll(planChecks(project, started.target))
  } finally {
    await runner.close()
    await started.stop()
    Object.assign(Redactor.prototype, { add, redactValue })
  }
  return ops
}

function characters(v: unknown): number {
  if (typeof v === 'string') return v.length
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + characters(x), 0)
  if (v && typeof v === 'object') return Object.values(v).reduce((n: number, x) => n + characters(x), 0)
  return 0
}

/** The CPU time (ms) of one replay: the replay runs on this thread alone, so other processes do not count in it. */
function replay(make: () => RedactorLike, ops: readonly Op[]): number {
  const r = make()
  const t0 = process.cpuUsage()
  for (const op of ops) {
    if ('add' in op) r.add(op.add)
    else r.redactValue(op.redact)
  }
  const t = process.cpuUsage(t0)
  return (t.user + t.system) / 1000
}

/** REV's src/redact.ts, loaded from a scratch folder (REV's redactor imports nothing of the project). */
async function redactorAt(rev: string): Promise<{ make: () => RedactorLike; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'conform-redact-bench-'))
  writeFileSync(join(dir, 'redact.ts'), execFileSync('git', ['show', `${rev}:src/redact.ts`], { cwd: ROOT }))
  const { Redactor: Old } = (await import(join(dir, 'redact.ts'))) as { Redactor: new () => RedactorLike }
  return { make: () => new Old(), dir }
}

function defaultAgainst(): string {
  const added = execFileSync('git', ['log', '--diff-filter=A', '--format=%H', '--', 'src/redact-views.ts'], { cwd: ROOT, encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()
  return added ? `${added}~1` : 'HEAD'
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const line = (label: string, xs: number[]) =>
  `  ${label.padEnd(12)} CPU median ${median(xs).toFixed(1)} ms, fastest ${Math.min(...xs).toFixed(1)} ms (${xs.length} rounds)`

const ops = await record()
const adds = ops.filter((o) => 'add' in o).length
const results = ops.filter((o) => 'redact' in o)
const chars = results.reduce((n, o) => n + characters((o as { redact: unknown }).redact), 0)
const rev = values.against ?? defaultAgainst()
const old = await redactorAt(rev)
try {
  const rounds = Number(values.rounds)
  const times = { now: [] as number[], old: [] as number[] }
  // One warm-up each, then interleaved rounds (both meet the same machine).
  replay(() => new Redactor(), ops)
  replay(old.make, ops)
  for (let i = 0; i < rounds; i++) {
    times.now.push(replay(() => new Redactor(), ops))
    times.old.push(replay(old.make, ops))
  }
  const mchars = (chars / 1e6).toFixed(2)
  console.log(
    `one run${values.deviate ? ` (--deviate ${values.deviate})` : ''}: ${adds} secrets added, ${results.length} results redacted, ${mchars} M characters`,
  )
  console.log(line('this tree', times.now))
  console.log(line(execFileSync('git', ['rev-parse', '--short', rev], { cwd: ROOT, encoding: 'utf8' }).trim(), times.old))
} finally {
  rmSync(old.dir, { recursive: true, force: true })
}

/**
 * `npm run bench -- --against <rev>`: this tree against another revision, runs interleaved (A, B, A, B, …) so that
 * both meet the same machine: on a shared VM whose speed drifts by a third within an hour, figures from two separate
 * invocations cannot be compared, these can. The other revision is checked out in a temporary git worktree that uses
 * this tree's node_modules (so compare revisions with the same dependencies). Each side writes into a folder of its
 * own, as a user re-running conform has it.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Har } from '../../src/report/har.ts'
import { measure, median, readTrace, requestSpan, type TraceMark } from './measure.ts'

export interface SideRun {
  commandToExitMs: number
  /** First request → last answer (the HAR). */
  requestsMs: number
  /** Phase lengths from the run's marks; absent when the revision does not write that mark. */
  workerReadyMs?: number
  checksMs?: number
  afterChecksMs?: number
}

const between = (marks: Map<string, TraceMark>, from: string, to: string): number | undefined => {
  const a = marks.get(from)
  const b = marks.get(to)
  return a && b ? b.at - a.at : undefined
}

/** The figures of one run, from its HAR, its phase marks and its wall time. Pure. */
export function sideRun(har: Har, marks: Map<string, TraceMark>, wallMs: number): SideRun {
  const { first, last } = requestSpan(har)
  const ready = between(marks, 'vitest created', 'worker: session')
  const checks = between(marks, 'worker: readers ready', 'worker: last check done')
  const after = between(marks, 'worker: last check done', 'vitest done')
  return {
    commandToExitMs: wallMs,
    requestsMs: last - first,
    ...(ready !== undefined ? { workerReadyMs: ready } : {}),
    ...(checks !== undefined ? { checksMs: checks } : {}),
    ...(after !== undefined ? { afterChecksMs: after } : {}),
  }
}

/** Medians of each figure per side, as printable lines. Pure. */
export function compareLines(labels: [string, string], runs: [SideRun[], SideRun[]]): string[] {
  const rows: Array<[string, keyof SideRun]> = [
    ['command → exit', 'commandToExitMs'],
    ['vitest created → worker ready', 'workerReadyMs'],
    ['first request → last answer', 'requestsMs'],
    ['readers ready → last check done', 'checksMs'],
    ['last check done → vitest done', 'afterChecksMs'],
  ]
  const cell = (x: number | undefined) => (x === undefined ? 'n/a' : `${x.toFixed(0)} ms`).padStart(10)
  const width = Math.max(...labels.map((l) => l.length), 10)
  const lines = [`medians of ${runs[0].length} interleaved runs each:`, `  ${''.padEnd(34)}${labels.map((l) => l.padStart(Math.max(width, 10) + 2)).join('')}`]
  for (const [name, key] of rows) {
    const [a, b] = runs.map((rs) => {
      const xs = rs.flatMap((r) => (r[key] === undefined ? [] : [r[key]!]))
      return xs.length ? median(xs) : undefined
    })
    const change = a !== undefined && b !== undefined && a > 0 ? `   ${b >= a ? '+' : '−'}${Math.abs(((b - a) / a) * 100).toFixed(0)} %` : ''
    lines.push(`  ${name.padEnd(34)}${[a, b].map((x) => cell(x).padStart(Math.max(width, 10) + 2)).join('')}${change}`)
  }
  return lines
}

export async function against(o: { root: string; rev: string; runs: number; seed: string; results: string }): Promise<string> {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${o.rev}^{commit}`], { cwd: o.root, encoding: 'utf8' }).trim()
  const other = mkdtempSync(join(tmpdir(), 'conform-against-'))
  execFileSync('git', ['worktree', 'add', '--detach', '--force', other, commit], { cwd: o.root, stdio: 'ignore' })
  try {
    symlinkSync(join(o.root, 'node_modules'), join(other, 'node_modules'))
    const sides: Array<{ label: string; root: string }> = [
      { label: o.rev, root: other },
      { label: 'this tree', root: o.root },
    ]
    const runs: [SideRun[], SideRun[]] = [[], []]
    for (let i = 0; i < o.runs; i++) {
      for (const [k, side] of sides.entries()) {
        const out = join(o.results, 'out', `against-${k}`)
        const trace = join(o.results, 'out', `against-${k}.trace.jsonl`)
        rmSync(trace, { force: true })
        const m = await measure(process.execPath, [join(side.root, 'bin', 'conform.mjs'), 'run', '--seed', o.seed, '--out', out], {
          cwd: side.root,
          env: { CONFORM_TRACE: trace },
        })
        if (m.code !== 0) throw new Error(`conform run (${side.label}) exited ${m.code}:\n${m.stderr.slice(-2000)}`)
        const har = JSON.parse(readFileSync(join(out, 'exchanges.har'), 'utf8')) as Har
        runs[k as 0 | 1].push(sideRun(har, existsSync(trace) ? readTrace(trace) : new Map(), m.wallMs))
        rmSync(trace, { force: true })
      }
      process.stdout.write(`round ${i + 1}/${o.runs}\n`)
    }
    return compareLines([sides[0]!.label, sides[1]!.label], runs).join('\n')
  } finally {
    execFileSync('git', ['worktree', 'remove', '--force', other], { cwd: o.root, stdio: 'ignore' })
  }
}

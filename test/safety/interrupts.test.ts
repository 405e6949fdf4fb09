import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { Runner } from '../../src/engine/runner.ts'
import { openSnapshots, readJournal } from '../../src/engine/journal.ts'
import { planChecks } from '../../src/engine/plan.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'
import { loadProject } from '../../src/project.ts'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import { conform } from '../helpers/cli.ts'
import { Staging, spawnConform, type Seen } from '../helpers/staging.ts'

/**
 * Runs against a staging-like target (the reference on a FILE database behind a proxy, fixture accounts, allowWrites)
 * are interrupted at the moment a fixture user has just been changed by a check: the reference has applied a write
 * and the suite has not yet seen the answer. SIGINT (to the process group, as Ctrl-C sends it), SIGTERM (to the
 * conform process, and to the group), and SIGKILL (to the group: nothing survives) followed by `conform restore`.
 * Afterwards every user row in the database is exactly as it began.
 */

const stagings: Staging[] = []
afterAll(async () => {
  for (const s of stagings) await s.close()
})

interface Interrupt {
  apis: string[]
  /** Interrupt at the n-th write after which the users differ from how they began. */
  atChange: number
  signal: NodeJS.Signals
  /** Signal the whole process group (a terminal's Ctrl-C, `kill -- -PGID`), or the conform process only. */
  group: boolean
  /** Hold the answer to the interrupted request forever: the check is stuck in a hung request when the signal comes. */
  hang?: boolean
  timeoutMs?: number
}

async function interruptedRun(o: Interrupt) {
  const s = await new Staging().start()
  stagings.push(s)
  const before = s.users()
  const out = join(s.dir, 'reports')
  // LogicMelon's accounts disposable: its whole-record checks (which could change what a restore cannot put back) run
  // as well, so the interrupted writes are the checks' own.
  const config = s.config({ allowWrites: true, limits: { timeoutMs: o.timeoutMs ?? 10_000 }, disposable: ['logicmelon:Administrator', 'logicmelon:Recruiter'] })
  let changes = 0
  let fired: { at: number; seen: Seen; changed: boolean } | undefined
  let pid = 0
  let differing = new Set<string>()
  s.onAnswered = async (seen) => {
    if (fired || !seen.write) return
    // A check's write makes a user differ from how it began; a restore's write never does (it puts one back). Checks
    // run concurrently: a row that changed while this write was answered is this write's only if it sent the new value.
    const users = s.users()
    const now = changedRows(before, users)
    const fresh = [...now].filter((k) => !differing.has(k))
    differing = now
    if (!fresh.some((k) => sentNewValue(seen.sent, before, users, k)) || ++changes < o.atChange) return
    fired = { at: performance.now(), seen, changed: true }
    process.kill(o.group ? -pid : pid, o.signal)
    // The answer to the interrupting request: held for good (a hung target), or a moment (the signal lands first).
    await new Promise((r) => setTimeout(r, o.hang ? 10 * 60_000 : 100))
  }
  const run = spawnConform(['run', '--target', 'staging', '--config', config, '--out', out, '--seed', '11', '--api', o.apis.join(',')], s.env)
  pid = run.child.pid!
  const result = await run.done
  const ended = performance.now()
  s.onAnswered = undefined
  // The users as the run left them, before anything still in flight lands.
  const atExit = s.users()
  // A request the process wrote just before it died may still sit in the proxy's socket buffer: let it land before
  // anyone counts what the target has seen.
  for (let n = -1; n !== s.seen.length; ) {
    n = s.seen.length
    await new Promise((r) => setTimeout(r, 250))
  }
  return { s, before, atExit, out, config, result, fired, secondsAfterSignal: fired ? (ended - fired.at) / 1000 : NaN }
}

/** Whether a request sent a value that row `key` (table:index) now holds and did not hold before. */
function sentNewValue(sent: string, before: Record<string, unknown[]>, now: Record<string, unknown[]>, key: string): boolean {
  const [table = '', index = ''] = key.split(':')
  const row = now[table]?.[Number(index)] as Record<string, unknown> | undefined
  const was = (before[table]?.[Number(index)] ?? {}) as Record<string, unknown>
  return Object.entries(row ?? {}).some(([f, v]) => v !== was[f] && typeof v === 'string' && v.length >= 3 && sent.includes(v))
}

function changedRows(before: Record<string, unknown[]>, now: Record<string, unknown[]>): Set<string> {
  const keys = new Set<string>()
  for (const [table, rows] of Object.entries(now))
    rows.forEach((r, i) => {
      if (JSON.stringify(r) !== JSON.stringify(before[table]?.[i])) keys.add(`${table}:${i}`)
    })
  return keys
}

function journalOf(out: string) {
  return {
    open: existsSync(join(out, 'journal.jsonl')) ? openSnapshots(readJournal(join(out, 'journal.jsonl')).events) : [],
    done: readJournal(join(out, 'journal.done.jsonl')).events,
  }
}

describe.concurrent('an interrupted run leaves every fixture user exactly as it began', () => {
  const graceful: Array<[string, Interrupt]> = [
    ['SIGINT to the process group (Ctrl-C), at the first change', { apis: ['inforouter'], atChange: 1, signal: 'SIGINT', group: true }],
    [
      'SIGINT to the process group while the check waits on a request that never answers',
      { apis: ['logicmelon'], atChange: 3, signal: 'SIGINT', group: true, hang: true, timeoutMs: 60_000 },
    ],
    ['SIGTERM to the conform process, at the second change', { apis: ['ecgridos', 'logicmelon'], atChange: 2, signal: 'SIGTERM', group: false }],
    ['SIGTERM to the process group, at the sixth change', { apis: ['ecgrid-rest', 'inforouter'], atChange: 6, signal: 'SIGTERM', group: true }],
  ]
  for (const [title, o] of graceful) {
    test(title, async () => {
      const { s, before, out, result, fired, secondsAfterSignal } = await interruptedRun(o)
      expect(fired, result.stdout + result.stderr).toBeDefined()
      expect(result.code, result.stderr).toBe(o.signal === 'SIGINT' ? 130 : 143)
      expect(result.stderr).toMatch(new RegExp(`${o.signal}: stopping. Checks under way restore their users first`))
      // The checks under way restored their users, and said so in the journal, which is then settled.
      expect(s.users()).toEqual(before)
      const journal = journalOf(out)
      expect(journal.open).toEqual([])
      expect(existsSync(join(out, 'journal.jsonl'))).toBe(false)
      const snapshots = journal.done.filter((e) => e.event === 'snapshot').length
      expect(snapshots).toBeGreaterThan(0)
      expect(journal.done.filter((e) => e.event === 'restored').length).toBe(snapshots)
      expect(result.stdout).toContain(`journal: ${snapshots} fixture user snapshot(s), every one restored and verified`)
      // Reports are still written.
      const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport
      expect(report.summary.checks).toBeGreaterThan(0)
      if (o.hang) {
        // The hung request was aborted (the deadline is a minute away); the check went on to restore.
        expect(secondsAfterSignal).toBeLessThan(20)
        expect(report.checks.some((c) => /the check was stopped before it finished/.test(c.message ?? ''))).toBe(true)
      }
    })
  }

  const killed: Array<[string, Interrupt]> = [
    ['SIGKILL at the first change, then conform restore', { apis: ['logicmelon'], atChange: 1, signal: 'SIGKILL', group: true }],
    ['SIGKILL at the fourth change, then conform restore', { apis: ['inforouter', 'ecgridos'], atChange: 4, signal: 'SIGKILL', group: true }],
  ]
  for (const [title, o] of killed) {
    test(title, async () => {
      const { s, before, atExit, out, config, result, fired } = await interruptedRun(o)
      expect(fired).toBeDefined()
      expect(result.signal).toBe('SIGKILL')
      // The kill left users changed, and the journal knows which. (Read as the process died: writes it sent just
      // before dying, another check's restore say, may still land afterwards.)
      expect(atExit).not.toEqual(before)
      const journal = join(out, 'journal.jsonl')
      const open = openSnapshots(readJournal(journal).events)
      expect(open.length).toBeGreaterThan(0)
      // No secret is kept in the journal.
      const text = readFileSync(journal, 'utf8')
      for (const secret of s.secrets) expect(text.includes(secret), 'a secret in the journal').toBe(false)

      // A new run refuses to start (nothing sent) until the journal is replayed.
      const requests = s.seen.length
      const refused = await conform(['run', '--target', 'staging', '--config', config, '--out', out], s.env)
      expect(refused.code).toBe(2)
      expect(refused.stderr).toMatch(/JOURNAL_UNFINISHED .*Run conform restore first/)
      expect(s.seen.length).toBe(requests)

      if (o.atChange === 1) {
        // A target that drops the restore's write: the restore cannot be verified, and says so loudly (exit 1).
        s.dropWrites = true
        const failed = await conform(['restore', '--journal', journal, '--config', config], s.env)
        s.dropWrites = false
        expect(failed.code, failed.stdout + failed.stderr).toBe(1)
        expect(failed.stderr).toMatch(/RESTORE NOT VERIFIED: logicmelon user lm\w+ \(target staging\): \w+ \(expected .*, found .*\)/)
        expect(existsSync(journal)).toBe(true)
      }
      const restored = await conform(['restore', '--journal', journal, '--config', config], s.env)
      expect(restored.code, restored.stdout + restored.stderr).toBe(0)
      expect(restored.stdout).toMatch(/restored and verified: \S+ user \S+ \(target staging\)/)
      expect(s.users()).toEqual(before)
      expect(existsSync(journal)).toBe(false)
      expect(openSnapshots(readJournal(join(out, 'journal.done.jsonl')).events)).toEqual([])
      // Replaying a settled journal is a no-op.
      const again = await conform(['restore', '--journal', journal, '--config', config], s.env)
      expect(again.code).toBe(0)
      expect(again.stdout).toMatch(/nothing to restore/)
    })
  }
})

describe('a check that runs out of time', () => {
  test('stops its hung request, restores its users and journals it; closing the runner waits for that restore', async () => {
    const s = await new Staging().start()
    stagings.push(s)
    Object.assign(process.env, s.env)
    const project = loadProject()
    const file = join(s.dir, 'journal.jsonl')
    const target: ResolvedTarget = {
      name: 'staging',
      allowWrites: true,
      limits: { concurrency: 2, timeoutMs: 60_000, maxBodyBytes: 2_000_000 },
      apis: { inforouter: { baseUrl: s.url, fixtures: s.accounts.inforouter! } },
    }
    const [c] = planChecks(project, target, { apis: ['inforouter'], bindings: ['soap11'], covers: ['IC-1'] })
    const before = s.users()
    let held: Seen | undefined
    s.onAnswered = async (seen) => {
      if (held || !seen.write || JSON.stringify(s.users()) === JSON.stringify(before)) return
      held = seen
      await new Promise((r) => setTimeout(r, 10 * 60_000)) // the changed user's answer never comes
    }
    const runner = new Runner({ target, apis: project.apis, catalogue: project.catalogue, seed: 4, journal: { file, pid: process.pid } })
    // As vitest does when a test times out: the test's signal fires, and the test is over as far as vitest knows.
    const started = performance.now()
    const result = await runner.run(c!, { signal: AbortSignal.timeout(1500) })
    await runner.close()
    expect(held).toBeDefined()
    expect(performance.now() - started).toBeLessThan(15_000)
    expect(result.status).toBe('failed')
    expect(result.message).toMatch(/the check was stopped before it finished \(.*\); its users were restored/)
    expect(result.steps.find((st) => st.name === 'restore')?.status).toBe('passed')
    expect(s.users()).toEqual(before)
    const events = readJournal(file).events
    expect(events.filter((e) => e.event === 'snapshot').length).toBeGreaterThan(0)
    expect(events.filter((e) => e.event === 'restored').length).toBe(events.filter((e) => e.event === 'snapshot').length)
    expect(openSnapshots(events)).toEqual([])
  })
})

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import run from '../../src/cli/run.ts'
import { checkLength } from '../../src/engine/check-length.ts'
import type { Check } from '../../src/engine/plan.ts'
import type { CheckResult } from '../../src/engine/result.ts'
import { loadProject, type Project } from '../../src/project.ts'
import { CheckRun } from '../../src/run/engine-run.ts'
import { defaultRunOptions } from '../../src/run/options.ts'
import type { RunEnd, RunReporter } from '../../src/run/reporter.ts'
import { startTarget } from '../../src/run/resolve-target.ts'
import { runAgainstReference } from '../../src/self-check/run.ts'

const dir = mkdtempSync(join(tmpdir(), 'engine-run-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Every event a reporter receives, in order. */
class Recorder implements RunReporter {
  planned: string[] = []
  checks: Array<{ id: string; status: CheckResult['status'] }> = []
  ends: RunEnd[] = []
  onPlan(cases: readonly Check[]): void {
    this.planned.push(...cases.map((c) => c.id))
  }
  onCheck(r: CheckResult): void {
    this.checks.push({ id: r.id, status: r.status })
  }
  onEnd(end: RunEnd): void {
    this.ends.push(end)
  }
}

const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id)

describe('one execution path', () => {
  test('the self-check and a plain conform run execute the same checks through the same run, and their reporters see the same events', async () => {
    const project = loadProject()
    const viaSelfCheck = new Recorder()
    await runAgainstReference(project, [], { apis: ['ecgrid-rest', 'logicmelon'] }, 7, [], [viaSelfCheck])
    const viaCli = new Recorder()
    const code = await run(['--api', 'ecgrid-rest,logicmelon', '--seed', '7', '--out', join(dir, 'cli')], [viaCli])
    expect(code).toBe(0)
    expect(viaCli.planned.length).toBeGreaterThan(40)
    expect(viaSelfCheck.planned).toEqual(viaCli.planned)
    // Verdicts arrive in the order checks finish (concurrent): the same set, each once.
    expect([...viaSelfCheck.checks].sort(byId)).toEqual([...viaCli.checks].sort(byId))
    expect(viaCli.checks.length).toBe(viaCli.planned.length)
    // The CLI's run ends with its report, the one written to conformance.json.
    expect(viaCli.ends).toHaveLength(1)
    const written = JSON.parse(readFileSync(join(dir, 'cli', 'conformance.json'), 'utf8')) as { summary: { checks: number }; load?: { concurrency: number } }
    expect(viaCli.ends[0]!.report.summary.checks).toBe(written.summary.checks)
    // The run says how busy it kept the target, against the target's own concurrency.
    expect(written.load?.concurrency).toBe(8)
  })
})

describe('CheckRun', () => {
  async function withRun<T>(project: Project, filters: object, body: (run: CheckRun) => Promise<T>): Promise<T> {
    const started = await startTarget(project, 'reference')
    const run = new CheckRun({ project, target: started.target, options: { ...defaultRunOptions(), ...filters } })
    try {
      return await body(run)
    } finally {
      await run.close()
      await started.stop()
    }
  }

  test('runs only the checks asked for: a verdict for one check runs that check alone', async () => {
    const project = loadProject()
    const seen: string[] = []
    const started = await startTarget(project, 'reference')
    const run = new CheckRun({
      project,
      target: started.target,
      options: { ...defaultRunOptions(), apis: ['ecgrid-rest'] },
      reporters: [{ onCheck: (r) => seen.push(r.id) }],
    })
    try {
      const id = run.cases[3]!.id
      const r = await run.verdict(id)
      expect(r?.id).toBe(id)
      expect(r?.status).toBe('passed')
      expect(seen).toEqual([id])
      // Asked twice, run once.
      expect(await run.verdict(id)).toBe(r)
      expect(seen).toEqual([id])
    } finally {
      await run.close()
      await started.stop()
    }
  })

  test("an API's checks reach the scheduler together: one at a time, the longest start first, then in plan order", async () => {
    const project = loadProject()
    const started = await startTarget(project, 'reference')
    const seen: string[] = []
    const target = { ...started.target, limits: { ...started.target.limits, concurrency: 1 } }
    const run = new CheckRun({ project, target, options: { ...defaultRunOptions(), apis: ['ecgrid-rest'] }, reporters: [{ onCheck: (r) => seen.push(r.id) }] })
    try {
      await run.all()
      // The reference provisions its users: no check waits for an account, so the order is the lengths' alone.
      const length = new Map(run.cases.map((c) => [c.id, checkLength(c)]))
      const plan = run.cases.map((c) => c.id)
      const expected = [...plan].sort((a, b) => length.get(b)! - length.get(a)! || plan.indexOf(a) - plan.indexOf(b))
      expect(new Set(length.values()).size).toBeGreaterThan(2)
      expect(seen).toEqual(expected)
    } finally {
      await run.close()
      await started.stop()
    }
  })

  test('stopped before they start, checks have no verdict; the run still closes', async () => {
    await withRun(loadProject(), { apis: ['logicmelon'] }, async (run) => {
      run.stop(new Error('stopped by the test'))
      const outcome = await run.all()
      expect(outcome.checks).toEqual([])
      expect(outcome.errors).toEqual([])
      expect(run.stopped).toBe(true)
    })
  })

  test('an exception inside the engine never passes: the check fails naming it, or the run records a suite error', async () => {
    const project = loadProject()
    // A spec the loader never could have produced: the engine throws on it (a defect of the suite, not the target).
    const id = 'ecgrid-rest.update-user.data-shape'
    const specs = project.specs.map((sp) =>
      sp.id === id
        ? new Proxy(sp, {
            get: (t, k) => {
              if (k === 'vars') throw new Error('boom')
              return Reflect.get(t, k)
            },
          })
        : sp,
    )
    const outcome = await withRun({ ...project, specs }, { apis: ['ecgrid-rest'], specs: [id] }, (run) => run.all())
    const said = [...outcome.errors, ...outcome.checks.map((c) => `${c.status} ${c.message}`)]
    expect(said).toHaveLength(1)
    expect(said[0]).toMatch(/^(failed boom|.*the suite failed inside this check: boom)$/)
  })
})

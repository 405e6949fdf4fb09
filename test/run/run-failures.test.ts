import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import run from '../../src/cli/run.ts'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import { REPORT_FILES } from '../../src/report/write-reports.ts'
import type { RunReporter } from '../../src/run/reporter.ts'

/**
 * `conform run` when something goes wrong around the checks: a reporter that throws, a signal before the first check
 * starts, mid-run, or while the reports are written. The run always ends, the report files are written, and the
 * exit code says what happened. (Signals are emitted in this process, as Node delivers them to its listeners.)
 */

const dir = mkdtempSync(join(tmpdir(), 'run-failures-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const ONE_API = ['--api', 'logicmelon', '--seed', '5']
const report = (out: string) => JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport

function written(out: string): string[] {
  return [...REPORT_FILES, 'allure-results'].filter((f) => !existsSync(join(out, f)))
}

describe('a reporter that throws', () => {
  test('in onCheck: every check still gets its verdict, the other reporters see them all, and the run is a suite error (exit 70)', async () => {
    const out = join(dir, 'on-check')
    const seen: string[] = []
    const code = await run(
      [...ONE_API, '--out', out],
      [
        {
          onCheck: () => {
            throw new Error('reporter boom')
          },
        },
        { onCheck: (r) => seen.push(r.id) },
      ],
    )
    expect(code).toBe(70)
    const r = report(out)
    expect(r.summary.checks).toBeGreaterThan(20)
    expect(seen).toHaveLength(r.summary.checks)
    expect(r.summary.suiteErrors).toEqual([expect.stringMatching(/^a reporter failed on logicmelon\.\S+: reporter boom$/)])
    expect(written(out)).toEqual([])
  })

  test('in onEnd: the reporters after it still write theirs, and the run says the suite failed (exit 70)', async () => {
    const out = join(dir, 'on-end')
    const after: string[] = []
    const code = await run(
      [...ONE_API, '--out', out],
      [
        {
          onEnd: () => {
            throw new Error('disk full')
          },
        },
        {
          onEnd: () => {
            after.push('ended')
          },
        },
      ],
    )
    expect(code).toBe(70)
    expect(after).toEqual(['ended'])
    expect(written(out)).toEqual([])
  })

  test('a run whose reporters all behave is not affected (exit 0, no suite error)', async () => {
    const out = join(dir, 'fine')
    const code = await run([...ONE_API, '--out', out], [{ onCheck: () => {}, onEnd: () => {} }])
    expect(code).toBe(0)
    expect(report(out).summary.suiteErrors).toBeUndefined()
  })
})

/** What `body` wrote to stderr (the run prints its own problems there), beside its result. */
async function withStderr(body: () => Promise<number>): Promise<{ code: number; stderr: string }> {
  const write = process.stderr.write
  let stderr = ''
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk)
    return true
  }) as typeof process.stderr.write
  try {
    return { code: await body(), stderr }
  } finally {
    process.stderr.write = write
  }
}

describe('a signal', () => {
  function signalled(when: (emit: () => void) => RunReporter) {
    let sent = 0
    return when(() => {
      // Once: a second signal ends the process at once, by design.
      if (sent++ === 0) process.emit('SIGINT')
    })
  }

  test('before the first check starts: no check runs, the reports are written and say the run was interrupted (exit 130)', async () => {
    const out = join(dir, 'before')
    const code = await run([...ONE_API, '--out', out], [signalled((emit) => ({ onPlan: emit }))])
    expect(code).toBe(130)
    const r = report(out)
    expect(r.summary.checks).toBe(0)
    expect(r.summary.verdict).toBe('interrupted')
    expect(r.summary.suiteErrors).toBeUndefined()
    expect(r.summary.interrupted).toMatch(/^SIGINT received: (\d+) of \1 planned check\(s\) did not run/)
    expect(written(out)).toEqual([])
  })

  test('mid-run: the report judges nothing (no verdict on the target) and says how many checks did not run (exit 130)', async () => {
    const out = join(dir, 'mid')
    const { code, stderr } = await withStderr(() => run([...ONE_API, '--out', out], [signalled((emit) => ({ onCheck: emit }))]))
    expect(code).toBe(130)
    // The exit code the run announces is the one it exits with.
    expect(stderr).toContain('SIGINT: stopping.')
    expect(stderr).not.toMatch(/exit \d+/)
    const r = report(out)
    expect(r.summary.checks).toBeGreaterThan(0)
    expect(r.summary.verdict).toBe('interrupted')
    expect(r.summary.interrupted).toMatch(/^SIGINT received: \d+ of \d+ planned check\(s\) did not run/)
    expect(written(out)).toEqual([])
  })

  test('while the reports are written: they are finished all the same, and the exit code says it was interrupted (130)', async () => {
    const out = join(dir, 'writing')
    const code = await run([...ONE_API, '--out', out], [signalled((emit) => ({ onEnd: emit }))])
    expect(code).toBe(130)
    expect(written(out)).toEqual([])
    // Every check had run: the report is the run's verdict.
    expect(report(out).summary.verdict).toBe('conformant')
  })
})

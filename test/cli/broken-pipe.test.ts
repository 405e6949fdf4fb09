import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { PROJECT_ROOT } from '../../src/paths.ts'

const dir = mkdtempSync(join(tmpdir(), 'broken-pipe-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('conform run | head: a reader that goes away never ends the run mid-check; the checks finish and the reports are written', async () => {
  const out = join(dir, 'reports')
  const child = spawn(process.execPath, [resolve(PROJECT_ROOT, 'bin/conform.mjs'), 'run', '--api', 'logicmelon', '--seed', '3', '--out', out], {
    cwd: PROJECT_ROOT,
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  // As `head -1` does: read the first line, then close the pipe; every later write of the run meets EPIPE.
  child.stdout.once('data', () => child.stdout.destroy())
  const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)))
  expect(stderr).not.toMatch(/EPIPE/)
  expect(code, stderr).toBe(0)
  const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as { summary: { checks: number; verdict: string } }
  expect(report.summary.checks).toBeGreaterThan(20)
  expect(report.summary.verdict).toBe('conformant')
  expect(existsSync(join(out, 'exchanges.har'))).toBe(true)
})

for (const command of ['deviations', 'variations']) {
  test(`conform ${command} | head -1: the list stops where the reader did, without a stack trace`, async () => {
    const child = spawn(process.execPath, [resolve(PROJECT_ROOT, 'bin/conform.mjs'), command], { cwd: PROJECT_ROOT })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    child.stdout.once('data', () => child.stdout.destroy())
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)))
    expect(stderr).not.toMatch(/EPIPE|Error/)
    expect(code, stderr).toBe(0)
  })
}

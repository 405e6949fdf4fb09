import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { spawnConform } from '../helpers/staging.ts'

const dir = mkdtempSync(join(tmpdir(), 'compare-signals-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The `conform run` processes still alive that write into `out`. */
function runsInto(out: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', `--out ${out}`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
  } catch {
    return []
  }
}

test('SIGTERM to compare alone ends the run under way too, and compare exits 143: no run is left behind', async () => {
  const out = join(dir, 'reports')
  const compare = spawnConform(['compare', '--baseline', 'reference', '--candidate', 'reference', '--out', out], {})
  await new Promise<void>((ok) => {
    const poll = setInterval(() => {
      // The first run has been started.
      if (/baseline reference, run 1/.test(compare.output())) {
        clearInterval(poll)
        ok()
      }
    }, 50)
  })
  process.kill(compare.child.pid!, 'SIGTERM')
  const r = await compare.done
  expect(r.code, r.stdout + r.stderr).toBe(143)
  expect(runsInto(join(out, 'compare'))).toEqual([])
})

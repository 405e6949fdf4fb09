import { join } from 'node:path'
import { expect, test } from 'vitest'
import { conform } from '../helpers/cli.ts'
import { type Staging, useStaging } from '../helpers/staging.ts'

/**
 * A selection that plans no check on a configured target is bad usage (exit 2), said before anything is sent: not
 * even the base-URL GET of the preflight reaches the target (docs/staging.md: "nothing was sent").
 */
let s!: Staging
useStaging((started) => {
  s = started
})

for (const filters of [
  ['--api', 'inforouter', '--binding', 'rest-json'],
  ['--api', 'ecgridos', '--covers', 'IE-4'],
]) {
  test(`${filters.join(' ')}: exit 2, nothing run, nothing sent`, async () => {
    const config = s.config({ allowWrites: true, apis: ['inforouter', 'ecgridos'] })
    const seen = s.seen.length
    const r = await conform(['run', '--target', 'staging', '--config', config, '--out', join(s.dir, 'empty'), ...filters], s.env)
    expect(r.code, r.stdout + r.stderr).toBe(2)
    expect(r.stderr).toMatch(/the selection plans no check on target "staging".*nothing was run/)
    expect(s.seen.length - seen).toBe(0)
  }, 60_000)
}

import { join } from 'node:path'
import { expect, test } from 'vitest'
import { conform } from '../helpers/cli.ts'
import { type Staging, useStaging } from '../helpers/staging.ts'

/**
 * `conform run` on a configured target: the checks go on with the connections the account preflight opened (one
 * TargetLink, transport/link.ts), so a staging target's handshakes are paid once. At concurrency 1, one connection for
 * the base-URL GET (its own client: any answer will do, of any size) and one for everything else, preflight and checks.
 */
let s!: Staging
useStaging((started) => {
  s = started
})

test('at concurrency 1: the base-URL GET on a connection of its own, the preflight and every check on one more', async () => {
  const config = s.config({ allowWrites: true, apis: ['inforouter'], limits: { concurrency: 1 } })
  const before = s.connections
  const seenBefore = s.seen.length
  const r = await conform(['run', '--target', 'staging', '--config', config, '--out', join(s.dir, 'link'), '--api', 'inforouter', '--covers', 'IE-5'], s.env)
  expect(r.code, r.stdout + r.stderr).toBe(0)
  // The preflight logged in and read back, and the checks sent their own requests after it.
  expect(r.stdout).toMatch(/preflight: \d+ fixture account/)
  expect(s.seen.length - seenBefore).toBeGreaterThan(10)
  expect(s.connections - before).toBe(2)
}, 60_000)

import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { Staging, spawnConform } from '../helpers/staging.ts'
import { closedUrl } from '../helpers/ports.ts'

/**
 * The base-URL preflight asks only the APIs the run uses (eeccc7b). A cross-API check (ecgridos.user-update.rest-equivalent)
 * also goes through its counterpart (ECGrid REST), whatever --api says: that base URL is the run's too, and one that
 * does not answer is TARGET_UNREACHABLE (exit 3), as it was before. The account preflight goes alongside the base-URL
 * GETs (issue 23): accounts may have logged in before the failure was known, and their sessions are logged out again.
 */
const stagings: Staging[] = []
afterAll(async () => {
  for (const s of stagings) await s.close()
})

/** A Staging whose config lists `apis`, ECGrid REST's base URL one that cannot be reached. */
async function restGone(apis: string[]): Promise<{ s: Staging; config: string; gone: string }> {
  const s = await new Staging().start()
  stagings.push(s)
  const config = s.config({ allowWrites: true, apis })
  const gone = await closedUrl()
  const parsed = JSON.parse(readFileSync(config, 'utf8'))
  parsed.targets.staging.apis['ecgrid-rest'].baseUrl = gone
  writeFileSync(config, JSON.stringify(parsed))
  return { s, config, gone }
}

describe('the base-URL preflight and cross-API checks', () => {
  test("--api ecgridos with its REST-equivalent check: an unreachable ECGrid REST is the run's error, and no session is left open", async () => {
    const { s, config, gone } = await restGone(['ecgridos', 'ecgrid-rest'])
    const run = await spawnConform(
      ['run', '--target', 'staging', '--config', config, '--out', join(s.dir, 'out'), '--api', 'ecgridos', '--spec', 'ecgridos.user-update.rest-equivalent'],
      s.env,
    ).done
    expect(run.code, run.stdout + run.stderr).toBe(3)
    expect(run.stderr).toContain(`ecgrid-rest at ${gone} could not be reached`)
    // ECGridOS's GET reached the target once; whatever account logged in alongside was logged out again.
    const operations = s.seen.map((x) => x.operation)
    expect(operations.filter((o) => o === '/')).toHaveLength(1)
    expect(operations.filter((o) => o === 'Logout').length).toBe(operations.filter((o) => o === 'Login').length)
    expect(run.stdout).not.toContain('preflight:')
  }, 120_000)

  test('allowed: an API no check of the run goes through is still not asked', async () => {
    const { s, config } = await restGone(['inforouter', 'ecgrid-rest'])
    const run = await spawnConform(
      ['run', '--target', 'staging', '--config', config, '--out', join(s.dir, 'out'), '--api', 'inforouter', '--covers', 'IE-5'],
      s.env,
    ).done
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(run.stderr).not.toContain('ecgrid-rest')
  }, 120_000)
})

import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { Staging, spawnConform } from '../helpers/staging.ts'

/**
 * The base-URL GETs and the accounts' logins go out together (both only read): the run does not wait one round trip
 * for the first before the second. An unreachable base URL is still what the run says (test/cli/cli.test.ts,
 * test/cli/preflight-counterpart.test.ts).
 */
const stagings: Staging[] = []
afterAll(async () => {
  for (const s of stagings) await s.close()
})

describe('the preflight of a configured target', () => {
  test('the base URL is answered only once an account has logged in: the run goes on (waiting for it first, it would time out)', async () => {
    const s = await new Staging().start()
    stagings.push(s)
    let loggedIn!: () => void
    const login = new Promise<void>((r) => {
      loggedIn = r
    })
    // Waiting for the base URL's answer before any login would never end.
    s.onAnswered = async (seen) => {
      if (seen.operation === 'AuthenticateUser') loggedIn()
      if (seen.operation === '/') await login
    }
    const config = s.config({ allowWrites: true, apis: ['inforouter'] })
    const run = await spawnConform(
      ['run', '--target', 'staging', '--config', config, '--out', join(s.dir, 'out'), '--api', 'inforouter', '--covers', 'IE-5'],
      s.env,
    ).done
    s.onAnswered = undefined
    expect(run.code, run.stdout + run.stderr).toBe(0)
    // Held until a login came: one did, while the base URL's answer was still awaited.
    expect(s.seen.some((x) => x.operation === '/')).toBe(true)
  }, 120_000)
})

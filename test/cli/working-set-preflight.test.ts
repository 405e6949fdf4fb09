import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { Staging, spawnConform } from '../helpers/staging.ts'

/**
 * The working set (src/run/working-set.ts) hands the preflight filtered lists: an account the run keeps after
 * accounts it leaves untouched (a placed account, a disposable one) is then reported at its place in the filtered list,
 * `fixtures.MailboxUser[3]`, which in the config is another, working account. The preflight should name the config's
 * place (review R2, 2026-12-05; fixed in src/run/preflight-accounts.ts: the account's index in the configured list).
 */
const stagings: Staging[] = []
afterAll(async () => {
  for (const s of stagings) await s.close()
})

describe('the preflight of a working set names accounts where the config lists them', () => {
  test('a broken placed account, listed after accounts the run leaves untouched', async () => {
    const s = await new Staging().start({ copies: 2 })
    stagings.push(s)
    const placed = s.placed.ecgridos!.MailboxUser![1]!
    const variable = /\$\{env:(\w+)\}/.exec(placed.password!)![1]!
    const config = s.config({ allowWrites: true, apis: ['ecgridos'], placed: true, limits: { concurrency: 1 } })
    const run = await spawnConform(['run', '--target', 'staging', '--config', config, '--out', join(s.dir, 'out'), '--api', 'ecgridos'], {
      ...s.env,
      [variable]: 'not-the-password',
    }).done
    expect(run.code, run.stdout + run.stderr).toBe(3)
    // The config lists the home MailboxUsers first, then other-mailbox, then other-network (this one).
    const configured = s.accounts.ecgridos!.MailboxUser!.length + 1
    expect(run.stderr).toContain(`${placed.login}; targets.staging.apis.ecgridos.fixtures.MailboxUser[${configured}])`)
  }, 120_000)
})

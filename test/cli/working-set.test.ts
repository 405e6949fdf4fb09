import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { Staging, spawnConform } from '../helpers/staging.ts'

/**
 * A target with more fixture accounts than the run can use at once: the run logs in, reads, lends and logs out only
 * those it can use (src/run/working-set.ts); the others see no request at all, and the console says how many.
 */
const stagings: Staging[] = []
afterAll(async () => {
  for (const s of stagings) await s.close()
})

describe('a run uses only the fixture accounts it can use at once', () => {
  test('concurrency 1: the accounts one check holds are logged in, the other copies are never sent a request', async () => {
    const s = await new Staging().start({ copies: 3 })
    stagings.push(s)
    const config = s.config({ allowWrites: true, apis: ['inforouter'], limits: { concurrency: 1 } })
    const run = await spawnConform(
      ['run', '--target', 'staging', '--config', config, '--out', join(s.dir, 'out'), '--api', 'inforouter', '--covers', 'IE-5,IC-3'],
      s.env,
    ).done
    expect(run.code, run.stdout + run.stderr).toBe(0)
    const members = s.accounts.inforouter!.member!.map((a) => a.userName!)
    const admins = s.accounts.inforouter!.sysadmin!.map((a) => a.userName!)
    expect(members).toHaveLength(9)
    const touched = (name: string) => s.seen.some((x) => x.sent.includes(name))
    // The reader (the first sysadmin) and the first two members: one check at a time, holding two members at most.
    expect(admins.filter(touched)).toEqual([admins[0]])
    expect(members.filter(touched)).toEqual(members.slice(0, 2))
    expect(run.stdout).toMatch(/preflight: 3 fixture account\(s\) logged in and read back .*; 9 more not needed at concurrency 1, left untouched/)
    expect(run.stdout).toMatch(/journal: \d+ fixture user snapshot\(s\), every one restored and verified/)
  }, 120_000)

  test('concurrency 4: as many members as checks can hold at once, still none beyond', async () => {
    const s = await new Staging().start({ copies: 3 })
    stagings.push(s)
    const config = s.config({ allowWrites: true, apis: ['inforouter'], limits: { concurrency: 4 } })
    const run = await spawnConform(['run', '--target', 'staging', '--config', config, '--out', join(s.dir, 'out'), '--api', 'inforouter'], s.env).done
    expect(run.code, run.stdout + run.stderr).toBe(0)
    const members = s.accounts.inforouter!.member!.map((a) => a.userName!)
    const used = members.filter((name) => s.seen.some((x) => x.sent.includes(name)))
    expect(used.length).toBeGreaterThanOrEqual(4)
    expect(used.length).toBeLessThan(members.length)
  }, 120_000)
})

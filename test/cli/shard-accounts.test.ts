import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { openSnapshots, readJournal } from '../../src/engine/journal.ts'
import { accountKey } from '../../src/engine/accounts.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'
import { loadProject } from '../../src/project.ts'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import { shardTarget } from '../../src/run/shard.ts'
import { Staging, spawnConform } from '../helpers/staging.ts'

/**
 * `conform run --shard i/n` on a target with fixture accounts: shards run at the same time on separate machines and
 * know nothing of each other, so each gets its own share of every role's accounts (the reader, which only reads and
 * restores, is shared and lent to none). Four shards in parallel against one target, five rounds: no user changed.
 */
const project = loadProject({})
const stagings: Staging[] = []
afterAll(async () => {
  for (const s of stagings) await s.close()
})

const account = (name: string) => ({ userName: name, password: `\${env:PW_${name.toUpperCase()}}` })
const target: ResolvedTarget = {
  name: 'staging',
  allowWrites: true,
  limits: { concurrency: 4, timeoutMs: 1000, maxBodyBytes: 1000 },
  apis: {
    inforouter: { baseUrl: 'http://x', fixtures: { sysadmin: ['a0', 'a1', 'a2'].map(account), member: ['m0', 'm1', 'm2', 'm3', 'm4'].map(account) } },
    // One backend, two APIs listing the same accounts (in another order for one role).
    ecgridos: { baseUrl: 'http://x', fixtures: { Root: ['r0', 'r1', 'r2'].map(account), MailboxUser: ['u0', 'u1', 'u2', 'u3'].map(account) } },
    'ecgrid-rest': { baseUrl: 'http://x', fixtures: { Root: ['r0', 'r1', 'r2'].map(account), MailboxUser: ['u3', 'u2', 'u1', 'u0'].map(account) } },
  },
}
const names = (t: ResolvedTarget, api: string, role: string) => (t.apis[api]!.fixtures[role] ?? []).map((a) => a.userName)

describe('each shard its own accounts', () => {
  test('account k of a role goes to shard (k mod n)+1; the reader to none, for every shard to read with', () => {
    const shards = [1, 2].map((index) => shardTarget(target, project.apis, { index, count: 2 }))
    expect(shards.map((s) => names(s, 'inforouter', 'sysadmin'))).toEqual([['a1'], ['a2']])
    expect(shards.map((s) => names(s, 'inforouter', 'member'))).toEqual([
      ['m0', 'm2', 'm4'],
      ['m1', 'm3'],
    ])
    for (const s of shards) expect(s.apis.inforouter!.reader?.userName).toBe('a0')
    // The split is deterministic.
    expect(shardTarget(target, project.apis, { index: 2, count: 2 })).toEqual(shards[1])
  })

  test('an account two APIs list goes to the same shard through both', () => {
    for (let index = 1; index <= 3; index++) {
      const s = shardTarget(target, project.apis, { index, count: 3 })
      expect(names(s, 'ecgrid-rest', 'MailboxUser').sort()).toEqual(names(s, 'ecgridos', 'MailboxUser').sort())
      expect(names(s, 'ecgrid-rest', 'Root')).toEqual(names(s, 'ecgridos', 'Root'))
      expect(s.apis.ecgridos!.reader?.userName).toBe('r0')
    }
  })

  test('the shards together hold every account but the reader, each once', () => {
    for (const count of [2, 3, 4, 7]) {
      const shards = Array.from({ length: count }, (_, i) => shardTarget(target, project.apis, { index: i + 1, count }))
      for (const [api, t] of Object.entries(target.apis)) {
        for (const [role, list] of Object.entries(t.fixtures)) {
          const held = shards.flatMap((s) => s.apis[api]!.fixtures[role]!.map(accountKey))
          const reader = role === project.apis.get(api)!.readBack.as ? [accountKey(list[0]!)] : []
          expect(new Set(held).size).toBe(held.length)
          expect([...held, ...reader].sort()).toEqual(list.map(accountKey).sort())
        }
      }
    }
  })

  test('one shard (or none): the target as it is, the reader lent to checks as before', () => {
    expect(shardTarget(target, project.apis, { index: 1, count: 1 })).toBe(target)
    expect(shardTarget(target, project.apis, undefined)).toBe(target)
  })
})

function changedUsers(before: Record<string, unknown[]>, after: Record<string, unknown[]>): string[] {
  const out: string[] = []
  for (const [table, rows] of Object.entries(after))
    rows.forEach((r, i) => {
      if (JSON.stringify(r) !== JSON.stringify(before[table]?.[i])) out.push(`${table}#${i}: ${JSON.stringify(before[table]?.[i])} -> ${JSON.stringify(r)}`)
    })
  return out
}

describe('a shard without enough accounts of a role', () => {
  test('is exit 2 naming the API, the role and how many accounts to add, before anything is sent', async () => {
    const s = await new Staging().start()
    stagings.push(s)
    const config = s.config({ allowWrites: true, apis: ['inforouter'] })
    const run = await spawnConform(
      ['run', '--target', 'staging', '--config', config, '--out', join(s.dir, 'short'), '--shard', '2/4', '--api', 'inforouter'],
      s.env,
    ).done
    expect(run.code, run.stdout + run.stderr).toBe(2)
    // One sysadmin account, the reader: 1 + 4 (one for each shard) in all.
    expect(run.stderr).toMatch(
      /SHARD_ACCOUNTS shard 2\/4 gets 0 sysadmin account\(s\) of inforouter, and its checks need 1 at once: add 4 sysadmin account\(s\) to inforouter \(5 in all, the first of which is the reader/,
    )
    // Three members over four shards: this one gets one, and a check holds two at once.
    expect(run.stderr).toMatch(
      /shard 2\/4 gets 1 member account\(s\) of inforouter, and its checks need 2 at once: add 5 member account\(s\) to inforouter \(8 in all/,
    )
    expect(run.stderr).toMatch(/conform\.config\.yaml:\d+:\d+ SHARD_ACCOUNTS/)
    expect(s.seen).toEqual([])
  }, 60_000)

  test('enough accounts for the shard: it runs', async () => {
    const s = await new Staging().start({ copies: 3 })
    stagings.push(s)
    const config = s.config({ allowWrites: true, apis: ['inforouter'] })
    const run = await spawnConform(
      ['run', '--target', 'staging', '--config', config, '--out', join(s.dir, 'two'), '--shard', '2/2', '--api', 'inforouter', '--covers', 'IE-5,IC-3'],
      s.env,
    ).done
    expect(run.stderr).not.toMatch(/SHARD_ACCOUNTS/)
    // A shard alone verifies part of the matrix (exit 4, incomplete); the merge of all shards gives the verdict.
    expect([0, 4], run.stdout + run.stderr).toContain(run.code)
    expect(run.stdout).toMatch(/journal: \d+ fixture user snapshot\(s\), every one restored and verified/)
  }, 120_000)
})

describe('four shards in parallel against one target with fixture accounts', () => {
  test("five rounds: every check restores its users, no user changed, no shard met another's user", async () => {
    const s = await new Staging().start({ copies: 5 })
    stagings.push(s)
    const config = s.config({ allowWrites: true })
    const before = s.users()
    for (let round = 1; round <= 5; round++) {
      const outs = [1, 2, 3, 4].map((i) => join(s.dir, `r${round}-s${i}`))
      const runs = await Promise.all(
        outs.map(
          (out, i) =>
            spawnConform(['run', '--target', 'staging', '--config', config, '--seed', String(round), '--shard', `${i + 1}/4`, '--out', out], s.env).done,
        ),
      )
      for (const [i, run] of runs.entries()) {
        const report = JSON.parse(readFileSync(join(outs[i]!, 'conformance.json'), 'utf8')) as ConformanceReport
        const failed = report.checks.filter((c) => c.status === 'failed' || c.status === 'warned')
        expect(
          failed.map((c) => `${c.id}: ${c.message}`),
          `round ${round} shard ${i + 1}: ${run.stderr}`,
        ).toEqual([])
        expect(report.checks.filter((c) => c.status === 'passed').length, `round ${round} shard ${i + 1}: ${run.stdout}${run.stderr}`).toBeGreaterThan(10)
        expect(existsSync(join(outs[i]!, 'journal.jsonl')), run.stderr).toBe(false)
        const done = readJournal(join(outs[i]!, 'journal.done.jsonl')).events
        expect(openSnapshots(done)).toEqual([])
        expect(done.some((e) => e.event === 'restore-failed')).toBe(false)
      }
      expect(changedUsers(before, s.users()), `round ${round}`).toEqual([])
    }
  }, 600_000)
})

import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parse } from 'yaml'
import { embeddedApiNames } from '../../reference/index.ts'
import { conform } from '../helpers/cli.ts'
import { Staging } from '../helpers/staging.ts'

/** `conform init` writes a config a newcomer can fill in; `check --target --online` proves it before a run. */

describe('conform init', () => {
  for (const api of embeddedApiNames()) {
    test(`${api}: a config that check accepts, with the API's fixture fields, roles and variables`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'conform-init-'))
      const file = join(dir, 'conform.staging.yaml')
      const made = await conform(['init', '--api', api, '--out', file])
      expect(made.code, made.stderr).toBe(0)
      const checked = await conform(['check', '--config', file])
      expect(checked.code, checked.stderr).toBe(0)
      const config = parse(readFileSync(file, 'utf8')) as {
        targets: { staging: { allowWrites: boolean; apis: Record<string, { fixtures: Record<string, Array<Record<string, string>>> }> } }
      }
      expect(config.targets.staging.allowWrites).toBe(false)
      const fixtures = config.targets.staging.apis[api]!.fixtures
      const env = readFileSync(join(dir, '.env.example'), 'utf8')
      for (const accounts of Object.values(fixtures)) {
        for (const account of accounts) {
          for (const [key, value] of Object.entries(account)) {
            if (key === 'placement') continue
            const name = /^\$\{env:(\w+)\}$/.exec(value)?.[1]
            expect(name, `${key}: ${value}`).toBeDefined()
            expect(env).toContain(`\n${name}=`)
          }
        }
      }
      // An unset variable is caught by check --target, at its place in the file, before any run.
      const all = Object.fromEntries(env.match(/^\w+(?==)/gm)!.map((n) => [n, n.endsWith('_BASE_URL') ? 'https://staging.example.test' : 'value']))
      const set = await conform(['check', '--config', file, '--target', 'staging'], all)
      expect(set.code, set.stderr).toBe(0)
      expect(set.stdout).toContain('target staging: every variable it names is set')
      const missing = await conform(['check', '--config', file, '--target', 'staging'])
      expect(missing.code).toBe(2)
      expect(missing.stderr).toMatch(/conform\.staging\.yaml:\d+:\d+ ENV_MISSING environment variable \w+ is not set/)
    })
  }

  test('the accounts match what the checks need: ECGridOS lists the placed MailboxUsers and the reader role twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conform-init-'))
    const file = join(dir, 'c.yaml')
    expect((await conform(['init', '--api', 'ecgridos', '--out', file])).code).toBe(0)
    const fixtures = (
      parse(readFileSync(file, 'utf8')) as { targets: { staging: { apis: { ecgridos: { fixtures: Record<string, Array<Record<string, string>>> } } } } }
    ).targets.staging.apis.ecgridos.fixtures
    expect(fixtures.MailboxUser!.map((a) => a.placement ?? 'home')).toEqual(['home', 'home', 'other-mailbox', 'other-network'])
    expect(fixtures.Root).toHaveLength(2)
    expect((await conform(['init', '--api', 'ecgridos', '--out', file])).code).toBe(2)
  })
})

describe('conform check --target NAME --online', () => {
  let s: Staging
  beforeAll(async () => {
    s = await new Staging().start()
  })
  afterAll(() => s.close())

  test('logs every account in and reads it back, lists each, writes nothing', async () => {
    const before = s.users()
    const r = await conform(['check', '--config', s.config({ allowWrites: true, apis: ['inforouter'] }), '--target', 'staging', '--online'], s.env)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/ok {2}inforouter member account 1 \(ir\w+\): logged in, read back/)
    expect(r.stdout).toMatch(/every base URL answers; \d+ fixture account\(s\) logged in and read back/)
    expect(s.writes).toEqual([])
    expect(s.users()).toEqual(before)
  })

  test('accounts are logged in and read back several at once, never more than limits.concurrency', async () => {
    // Every answer held a moment, so that requests the preflight sends together are seen together.
    s.delayMs = 50
    s.maxInFlight = 0
    try {
      const r = await conform(
        ['check', '--config', s.config({ allowWrites: true, apis: ['inforouter'], limits: { concurrency: 3 } }), '--target', 'staging', '--online'],
        s.env,
      )
      expect(r.code, r.stderr).toBe(0)
    } finally {
      s.delayMs = 0
    }
    expect(s.maxInFlight).toBeGreaterThan(1)
    expect(s.maxInFlight).toBeLessThanOrEqual(3)
  })

  test('a wrong password: exit 3 naming the account', async () => {
    const member = s.accounts.inforouter!.member![0]!
    const variable = /\$\{env:(\w+)\}/.exec(member.password!)![1]!
    const r = await conform(['check', '--config', s.config({ allowWrites: true, apis: ['inforouter'] }), '--target', 'staging', '--online'], {
      ...s.env,
      [variable]: 'nope-nope',
    })
    expect(r.code).toBe(3)
    expect(r.stderr).toContain(`inforouter member account 1 (${member.userName}`)
  })
})

import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { accountKey, accountsNeeded, fixturePools } from '../../src/engine/accounts.ts'
import { AccountPool } from '../../src/engine/fixtures.ts'
import type { Check } from '../../src/engine/plan.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'

/**
 * The scheduler's pools: one per API, role, placement and class of account. A role whose accounts are all disposable
 * but the reader (as `conform serve --write-config` writes them) must not run its ordinary checks one at a time on
 * the reader, and a check asking a placed account must wait for that account, not for any of its role.
 */
const reader = { username: 'lm-reader', password: '${env:LM_R}' }
const spare1 = { username: 'lm-d1', password: '${env:LM_D1}' }
const spare2 = { username: 'lm-d2', password: '${env:LM_D2}' }
const home = [
  { login: 'mu-1', password: '${env:MU1}' },
  { login: 'mu-2', password: '${env:MU2}' },
]
const placed = { login: 'mu-far', password: '${env:MU3}', placement: 'other-mailbox' }
const target: ResolvedTarget = {
  name: 'staging',
  allowWrites: true,
  limits: { concurrency: 4, timeoutMs: 1000, maxBodyBytes: 1000 },
  apis: {
    logicmelon: { baseUrl: 'http://y', fixtures: { Administrator: [reader, spare1, spare2] }, disposable: [accountKey(spare1), accountKey(spare2)] },
    ecgridos: { baseUrl: 'http://x', fixtures: { MailboxUser: [...home, placed] } },
  },
}
const caseOf = (api: string, users: Array<{ role: string; with?: Record<string, string> }>) =>
  ({
    api: { api, operations: {}, restorable: [], user: { fields: {} } },
    writes: true,
    spec: { users: Object.fromEntries(users.map((u, i) => [`u${i}`, u])), before: [], when: { operation: 'Update', params: {} } },
  }) as unknown as Check

describe('account pools', () => {
  const env = { LM_R: 'r', LM_D1: 'd1', LM_D2: 'd2', MU1: 'm1', MU2: 'm2', MU3: 'm3' }
  beforeAll(() => {
    Object.assign(process.env, env)
  })
  afterAll(() => {
    for (const k of Object.keys(env)) delete process.env[k]
  })

  test('an ordinary check draws on the ordinary accounts, then the disposable ones; a risky one on the disposable ones only', () => {
    const pools = fixturePools(target)
    expect(pools.of('logicmelon', 'Administrator')).toEqual(['logicmelon:Administrator', 'logicmelon:Administrator:disposable'])
    expect(pools.of('logicmelon', 'Administrator', true)).toEqual(['logicmelon:Administrator:disposable'])
    expect(pools.capacity('logicmelon:Administrator')).toBe(1)
    expect(pools.capacity('logicmelon:Administrator:disposable')).toBe(2)
  })

  test('a placed account is a pool of its own: a check asking it waits for it, others never do', () => {
    const pools = fixturePools(target)
    expect(pools.of('ecgridos', 'MailboxUser')).toEqual(['ecgridos:MailboxUser'])
    expect(pools.capacity('ecgridos:MailboxUser')).toBe(2)
    expect(pools.of('ecgridos', 'MailboxUser', false, 'other-mailbox')).toEqual(['ecgridos:MailboxUser@other-mailbox'])
    expect(pools.capacity('ecgridos:MailboxUser@other-mailbox')).toBe(1)
    expect(accountsNeeded(caseOf('ecgridos', [{ role: 'MailboxUser' }, { role: 'MailboxUser', with: { placement: 'other-mailbox' } }]), target, pools)).toEqual(
      [
        { pools: ['ecgridos:MailboxUser'], n: 1 },
        { pools: ['ecgridos:MailboxUser@other-mailbox'], n: 1 },
      ],
    )
    // A role the target lists no account for: a pool without accounts (the check starts, and fails on NO_FIXTURE).
    expect(pools.of('ecgridos', 'Root')).toEqual(['ecgridos:Root'])
    expect(pools.capacity('ecgridos:Root')).toBe(0)
  })

  test('the account pool lends as the scheduler counts: ordinary first, then disposable; never the reader to a risky check', async () => {
    const pool = new AccountPool(target.apis.logicmelon!)
    const [first] = await pool.acquire([{ role: 'Administrator' }])
    expect(first!.attrs.username).toBe('lm-reader')
    const [second] = await pool.acquire([{ role: 'Administrator' }])
    expect(second!.attrs.username).toBe('lm-d1')
    await pool.release([first!])
    // The reader is free again, yet a risky check takes the other disposable account.
    const [risky] = await pool.acquire([{ role: 'Administrator', risky: true }])
    expect(risky!.attrs.username).toBe('lm-d2')
    await pool.release([second!, risky!])
    const both = await pool.acquire([
      { role: 'Administrator', risky: true },
      { role: 'Administrator', risky: true },
    ])
    expect(both.map((u) => u.attrs.username)).toEqual(['lm-d1', 'lm-d2'])
    // (A pool that lent only one class would leave the second acquire waiting: the time limit ends it.)
  }, 10_000)
})

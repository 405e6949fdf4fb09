import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { accountsNeeded, fixturePools } from '../../src/engine/accounts.ts'
import { AccountLocks, AccountPool } from '../../src/engine/fixtures.ts'
import type { Check } from '../../src/engine/plan.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'

/**
 * ECGridOS SOAP and ECGrid REST are two faces of one backend: a staging config may list the same fixture accounts
 * for both. A check through one and a check through the other must never hold that user at once.
 */
const root = { login: 'root-1', password: '${env:ROOT_PW}' }
const root2 = { login: 'root-2', password: '${env:ROOT2_PW}' }
const user = { login: 'user-1', password: '${env:USER_PW}' }
const target: ResolvedTarget = {
  name: 'staging',
  allowWrites: true,
  limits: { concurrency: 4, timeoutMs: 1000, maxBodyBytes: 1000 },
  apis: {
    ecgridos: { baseUrl: 'http://x', fixtures: { Root: [root, root2], MailboxUser: [user] } },
    // The same accounts (keys in another order), another role name for one of them.
    'ecgrid-rest': { baseUrl: 'http://x', fixtures: { Root: [{ password: '${env:ROOT_PW}', login: 'root-1' }], Member: [user] } },
    logicmelon: { baseUrl: 'http://y', fixtures: { Administrator: [{ username: 'lm', password: '${env:LM_PW}' }] } },
  },
}
const caseOf = (api: string, roles: string[]) =>
  ({
    api: { api, operations: {}, restorable: [], user: { fields: {} } },
    writes: true,
    spec: { users: Object.fromEntries(roles.map((r, i) => [`u${i}`, { role: r }])), before: [], when: { operation: 'Update', params: {} } },
  }) as unknown as Check

describe('fixture accounts two APIs share', () => {
  const env = { ROOT_PW: 'r1', ROOT2_PW: 'r2', USER_PW: 'u1', LM_PW: 'l1' }
  beforeAll(() => {
    Object.assign(process.env, env)
  })
  afterAll(() => {
    for (const k of Object.keys(env)) delete process.env[k]
  })

  test('lists sharing an account are one pool, as small as the smallest list; others stay apart', () => {
    const pools = fixturePools(target)
    expect(pools.of('ecgridos', 'Root')).toEqual(['ecgrid-rest:Root+ecgridos:Root'])
    expect(pools.of('ecgrid-rest', 'Root')).toEqual(['ecgrid-rest:Root+ecgridos:Root'])
    expect(pools.capacity('ecgrid-rest:Root+ecgridos:Root')).toBe(1)
    expect(pools.of('ecgrid-rest', 'Member')).toEqual(pools.of('ecgridos', 'MailboxUser'))
    expect(pools.of('logicmelon', 'Administrator')).toEqual(['logicmelon:Administrator'])
    expect(pools.capacity('logicmelon:Administrator')).toBe(1)
    expect(accountsNeeded(caseOf('ecgrid-rest', ['Root', 'Member']), target, pools)).toEqual([
      { pools: ['ecgrid-rest:Root+ecgridos:Root'], n: 1 },
      { pools: ['ecgrid-rest:Member+ecgridos:MailboxUser'], n: 1 },
    ])
  })

  test('a user held through one API is not lent through the other until it is released', async () => {
    const locks = new AccountLocks()
    const soap = new AccountPool(target.apis.ecgridos!, locks)
    const rest = new AccountPool(target.apis['ecgrid-rest']!, locks)
    const [held] = await soap.acquire([{ role: 'MailboxUser' }])
    let granted = false
    const waiting = rest.acquire([{ role: 'Member' }]).then((u) => {
      granted = true
      return u
    })
    await new Promise((r) => setTimeout(r, 20))
    expect(granted).toBe(false)
    await soap.release([held!])
    const [lent] = await waiting
    expect(lent!.attrs.login).toBe('user-1')
    // Root: the SOAP pool has a second account, so it passes over the one REST holds.
    const [restRoot] = await rest.acquire([{ role: 'Root' }])
    const [soapRoot] = await soap.acquire([{ role: 'Root' }])
    expect([restRoot!.attrs.login, soapRoot!.attrs.login]).toEqual(['root-1', 'root-2'])
  })
})

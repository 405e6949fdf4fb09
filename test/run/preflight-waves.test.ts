import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { planChecks } from '../../src/engine/plan.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'
import { loadProject } from '../../src/project.ts'
import { type AccountCheck, preflightAccounts, rolesNeeded } from '../../src/run/preflight-accounts.ts'
import { type Arrival, HoldingProxy } from '../helpers/holding-proxy.ts'
import { Staging } from '../helpers/staging.ts'

/**
 * The account preflight in as few round trips as its dependencies allow (issue 23): per API, every account logs in at
 * once and only the read-backs wait for the reader's login; APIs that list no account in common go at the same time.
 * Shown against a staging-like target through a proxy that holds answers until the requests that should be under way
 * with them have arrived: order, not time.
 */
const project = loadProject()
let s: Staging
let proxy: HoldingProxy

beforeAll(async () => {
  s = await new Staging().start()
  Object.assign(process.env, s.env)
  proxy = await new HoldingProxy(s.ref.url).start()
})
afterAll(async () => {
  proxy.close()
  await s.close()
})

/** Long enough for requests sent at once to arrive on a busy machine; only a broken order ever waits it out. */
const GIVE_UP_MS = 10_000

function target(apis: string[], concurrency: number): ResolvedTarget {
  return {
    name: 'staging',
    allowWrites: false,
    limits: { concurrency, timeoutMs: 20_000, maxBodyBytes: 2_000_000 },
    apis: Object.fromEntries(apis.map((a) => [a, { baseUrl: proxy.url, fixtures: s.accounts[a]! }])),
  }
}

const casesOf = (t: ResolvedTarget) => planChecks(project, t, { apis: Object.keys(t.apis) })

async function preflight(t: ResolvedTarget): Promise<AccountCheck[]> {
  return preflightAccounts({ target: t, apis: project.apis, catalogue: project.catalogue, cases: casesOf(t) })
}

/** How many accounts of `api` the preflight of `t` checks: those of the roles its checks need. */
function accountsOf(t: ResolvedTarget, api: string): number {
  return rolesNeeded(project.apis.get(api)!, casesOf(t)).reduce((n, role) => n + (t.apis[api]!.fixtures[role]?.length ?? 0), 0)
}

/** What the proxy saw from here on. */
function mark(): { arrivals: () => Arrival[]; waves: () => Map<number, number> } {
  proxy.reset()
  return { arrivals: () => proxy.arrivals, waves: () => proxy.waves() }
}

describe('one API: the read-backs go as soon as the reader has logged in', () => {
  test('inforouter (log in, then read back): every login in one round trip, every read-back in the next', async () => {
    const seen = mark()
    const t = target(['inforouter'], 16)
    const accounts = accountsOf(t, 'inforouter')
    const count = (op: string) => seen.arrivals().filter((a) => a.operation === op).length
    // Each answer is held until every request of its kind has arrived: none of them waited for another's answer (the
    // reader's read-back among them: the others' read-backs did not wait for it).
    const barriers: Record<string, 'met' | 'not met'> = {}
    proxy.hold = async (a) => {
      if (a.operation === 'AuthenticateUser' || a.operation === 'GetUser')
        barriers[a.operation] = await proxy.until(() => count(a.operation) >= accounts, GIVE_UP_MS)
    }
    try {
      const checks = await preflight(t)
      expect(checks.map((c) => [c.role, c.ok])).toEqual(checks.map((c) => [c.role, true]))
      expect(checks).toHaveLength(accounts)
    } finally {
      proxy.hold = undefined
    }
    expect(barriers).toEqual({ AuthenticateUser: 'met', GetUser: 'met' })
    const waves = seen.waves()
    const sent = seen.arrivals()
    const wavesOf = (op: string) => [...new Set(sent.filter((a) => a.operation === op).map((a) => waves.get(a.n)))]
    expect(wavesOf('AuthenticateUser')).toEqual([1])
    expect(wavesOf('GetUser')).toEqual([2])
    // Every session opened here is closed again (nothing was handed over).
    expect(sent.filter((a) => a.operation === 'LogOut')).toHaveLength(accounts)
  }, 60_000)

  test('ECGrid REST (an API key: no login): the reader reads itself back alongside the others, in one round trip', async () => {
    const seen = mark()
    const t = target(['ecgrid-rest'], 16)
    const accounts = accountsOf(t, 'ecgrid-rest')
    let barrier: 'met' | 'not met' | undefined
    proxy.hold = async () => {
      barrier = await proxy.until(() => seen.arrivals().length >= accounts, GIVE_UP_MS)
    }
    try {
      const checks = await preflight(t)
      expect(checks.every((c) => c.ok)).toBe(true)
      expect(checks).toHaveLength(accounts)
    } finally {
      proxy.hold = undefined
    }
    expect(barrier).toBe('met')
    const waves = seen.waves()
    expect(seen.arrivals()).toHaveLength(accounts)
    expect(new Set(seen.arrivals().map((a) => waves.get(a.n)))).toEqual(new Set([1]))
  }, 60_000)

  test('concurrency 1: one request at a time, and no job waiting for the reader keeps the reader from logging in', async () => {
    const seen = mark()
    const checks = await preflight(target(['inforouter'], 1))
    expect(checks.every((c) => c.ok)).toBe(true)
    expect(proxy.maxInFlight).toBe(1)
    // The reader logs in first: it is the first job started, and the gate lets requests in in the order they came.
    expect(seen.arrivals()[0]?.sent).toContain(s.accounts.inforouter!.sysadmin![0]!.userName!)
  }, 60_000)

  test('a reader that cannot log in: every other account is named as unread (NO_READER), and nothing stays open', async () => {
    const seen = mark()
    const reader = s.accounts.inforouter!.sysadmin![0]!
    const variable = /\$\{env:(\w+)\}/.exec(reader.password!)![1]!
    const password = process.env[variable]
    process.env[variable] = 'not-the-password'
    let err: Error | undefined
    try {
      await preflight(target(['inforouter'], 4))
    } catch (e) {
      err = e as Error
    } finally {
      process.env[variable] = password
    }
    expect((err as { code?: string }).code).toBe('TARGET_ACCOUNTS')
    const members = s.accounts.inforouter!.member!.length
    expect(err!.message.match(/could not log in, so this account could not be read/g)).toHaveLength(members)
    expect(err!.message).toContain(`inforouter sysadmin account 1 (${reader.userName}`)
    const sent = seen.arrivals()
    expect(sent.filter((a) => a.operation === 'GetUser')).toHaveLength(0)
    expect(sent.filter((a) => a.operation === 'LogOut')).toHaveLength(members)
  }, 60_000)
})

describe('several APIs', () => {
  test('APIs that share no account log in at the same time', async () => {
    const seen = mark()
    // ECGridOS and infoRouter list no account in common; both log in (ECGrid REST and LogicMelon send a key instead).
    const apis = ['inforouter', 'ecgridos']
    const t = target(apis, 32)
    const isLogin = (a: Arrival) => a.operation === 'AuthenticateUser' || a.operation === 'Login'
    const logins = () => seen.arrivals().filter(isLogin)
    let barrier: 'met' | 'not met' | undefined
    proxy.hold = async (a) => {
      if (isLogin(a)) barrier ??= await proxy.until(() => logins().length >= accountsOf(t, 'inforouter') + accountsOf(t, 'ecgridos'), GIVE_UP_MS)
    }
    try {
      const checks = await preflight(t)
      expect(checks.every((c) => c.ok)).toBe(true)
      expect(checks.map((c) => c.api)).toEqual(checks.map((c) => c.api).sort((a, b) => apis.indexOf(a) - apis.indexOf(b)))
    } finally {
      proxy.hold = undefined
    }
    expect(barrier).toBe('met')
  }, 60_000)

  test('APIs that list the same accounts (ECGridOS, ECGrid REST) go one after the other, in the config order', async () => {
    const seen = mark()
    const isRest = (a: Arrival) => a.sent.startsWith('/v2/')
    // ECGridOS's logins are held until an ECGrid REST request arrives (which it must not) or a while has passed.
    let early: 'met' | 'not met' | undefined
    proxy.hold = async (a) => {
      if (!isRest(a) && a.operation === 'Login') early ??= await proxy.until(() => seen.arrivals().some(isRest), 2_000)
    }
    try {
      const checks = await preflight(target(['ecgridos', 'ecgrid-rest'], 32))
      expect(checks.every((c) => c.ok)).toBe(true)
    } finally {
      proxy.hold = undefined
    }
    expect(early).toBe('not met')
    const sent = seen.arrivals()
    const firstRest = sent.find(isRest)!
    const soap = sent.filter((a) => !isRest(a) && a.operation !== 'Logout')
    expect(soap.length).toBeGreaterThan(0)
    // Every ECGridOS login and read-back was answered before ECGrid REST sent anything.
    const answeredBefore = new Set(proxy.answered.slice(0, firstRest.answersBefore))
    for (const a of soap) expect(answeredBefore.has(a.n), `${a.operation} #${a.n}`).toBe(true)
  }, 60_000)
})

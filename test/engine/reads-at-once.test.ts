import { beforeEach, describe, expect, test } from 'vitest'
import { planChecks, type Check } from '../../src/engine/plan.ts'
import type { CheckResult } from '../../src/engine/result.ts'
import { Runner } from '../../src/engine/runner.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'
import { loadProject } from '../../src/project.ts'
import { type Seen, type Staging, useStaging } from '../helpers/staging.ts'

/**
 * A check's reads of different users go out together, a round trip for all (its snapshots, its read back, the
 * restore's looks), and are recorded in the order the spec names the users whichever answers first. Against a
 * staging-like target whose proxy holds the answer to one user's read until the other user's read has been answered:
 * reads sent one after another would wait for each other; a hold that ends by the proxy giving up says so.
 */
const project = loadProject()
let s!: Staging
useStaging(
  (started) => {
    s = started
  },
  { env: true },
)
beforeEach(() => {
  s.onAnswered = undefined
})

function runner(): { runner: Runner; target: ResolvedTarget } {
  const target: ResolvedTarget = {
    name: 'staging',
    allowWrites: true,
    limits: { concurrency: 4, timeoutMs: 10_000, maxBodyBytes: 2_000_000 },
    apis: { inforouter: { baseUrl: s.url, fixtures: s.accounts.inforouter! } },
  }
  return { runner: new Runner({ target, apis: project.apis, catalogue: project.catalogue, seed: 11 }), target }
}

const check = (target: ResolvedTarget, id: string): Check => {
  const [c] = planChecks(project, target, { specs: [`inforouter.${id}`], bindings: ['soap11'] })
  if (!c) throw new Error(`no check ${id}`)
  return c
}

const userRead = (x: { sent?: string; body?: string }) => /<(?:\w+:)?(?:UserName|UID)>([^<]+)</.exec(x.sent ?? x.body ?? '')?.[1]

/**
 * While `armed()`: each answered read (GetUser) is held until another user has had as many reads answered (pairs:
 * the n-th read of one user waits for the n-th of another, for the first `rounds`). A hold that lasts `giveUpMs` is released and counted in
 * `gaveUp`: reads sent one after another would each wait that long.
 */
function pairReads(armed: () => boolean, rounds: number, giveUpMs = 4000) {
  const counts = new Map<string, number>()
  const waiting: Array<{ user: string; n: number; release: () => void }> = []
  const state = { gaveUp: 0, held: 0, users: [] as string[] }
  s.onAnswered = async (seen: Seen) => {
    if (seen.operation !== 'GetUser' || !armed()) return
    const user = userRead(seen)
    if (!user) return
    if (!counts.has(user)) state.users.push(user)
    const n = (counts.get(user) ?? 0) + 1
    counts.set(user, n)
    for (const w of waiting.filter((x) => x.user !== user && x.n <= n)) w.release()
    if (n > rounds || [...counts].some(([u, m]) => u !== user && m >= n)) return
    state.held++
    await new Promise<void>((resolve) => {
      const entry = { user, n, release: () => done() }
      const timer = setTimeout(() => {
        state.gaveUp++
        done()
      }, giveUpMs)
      function done() {
        clearTimeout(timer)
        const i = waiting.indexOf(entry)
        if (i >= 0) waiting.splice(i, 1)
        resolve()
      }
      waiting.push(entry)
    })
  }
  return state
}

/** The caller (whose login the check sent) and the user its call names. */
const whoIs = (r: CheckResult) => ({
  caller: userRead(r.exchanges.find((x) => x.purpose === 'login')!.request),
  target: userRead(r.exchanges.find((x) => x.purpose === 'call')!.request),
})

const readsOf = (r: CheckResult, step: string) =>
  r.steps
    .filter((st) => st.name === step)
    .flatMap((st) => st.exchanges.map((i) => r.exchanges[i]!))
    .filter((x) => x.operation === 'GetUser')
    .map((x) => userRead(x.request))

describe("a check's reads of different users", () => {
  test('its snapshots and its read back go out together, recorded in the order the spec names the users', async () => {
    const { runner: r, target } = runner()
    const c = check(target, 'update-user-email.member-cannot-update-others')
    const hold = pairReads(() => true, 2)
    const result = await r.run(c)
    await r.close()
    expect(result.status, result.failures.map((f) => f.message).join('\n')).toBe('passed')
    const { caller: jane, target: bob } = whoIs(result)
    expect(jane).not.toBe(bob)
    expect(readsOf(result, 'snapshot')).toEqual([jane, bob])
    expect(readsOf(result, 'read back')).toEqual([bob, jane])
    // Each pair was held until its other read was answered: none waited for the proxy to give up.
    expect(hold.held).toBeGreaterThanOrEqual(2)
    expect(hold.gaveUp).toBe(0)
  })

  test("a check stopped after its call: the restore's looks at both users go out together; both are put back", async () => {
    const { runner: r, target } = runner()
    const c = check(target, 'update-user-email.admin-updates-anyone')
    const before = s.users()
    let stopped = false
    const hold = pairReads(() => stopped, 1)
    const onRead = s.onAnswered!
    s.onAnswered = async (seen) => {
      if (seen.write && !stopped) {
        stopped = true
        r.stop(new Error('SIGINT received'))
        return
      }
      await onRead(seen)
    }
    const result = await r.run(c)
    await r.close()
    expect(stopped).toBe(true)
    expect(result.failures.map((f) => f.message).join('\n')).toMatch(/stopped before it finished/)
    expect(result.failures.map((f) => f.message).join('\n')).not.toMatch(/RESTORE|INTERFERED/)
    const { caller: admin, target: bob } = whoIs(result)
    const restore = readsOf(result, 'restore')
    // Both looks first (in the spec's order), then the read after bob's write.
    expect(restore).toEqual([admin, bob, bob])
    expect(hold.held).toBeGreaterThanOrEqual(1)
    expect(hold.gaveUp).toBe(0)
    expect(s.users()).toEqual(before)
  })
})

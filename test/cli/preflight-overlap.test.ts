import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { conform } from '../helpers/cli.ts'
import { type Arrival, HoldingProxy } from '../helpers/holding-proxy.ts'
import { Staging } from '../helpers/staging.ts'

/**
 * `conform run` on a configured target sends its base-URL GETs and its account preflight at the same time (issue 23),
 * under ONE budget of limits.concurrency requests in flight (two budgets once let a target see twice its limit), and
 * a base URL that does not answer is still the run's error, with every session the accounts opened logged out.
 */
let s: Staging
let proxy: HoldingProxy
beforeAll(async () => {
  s = await new Staging().start()
  proxy = await new HoldingProxy(s.ref.url).start()
})
afterAll(async () => {
  proxy.close()
  await s.close()
})

/** A config for infoRouter through the proxy. */
function config(concurrency: number): string {
  const file = s.config({ allowWrites: true, apis: ['inforouter'], limits: { concurrency } })
  const parsed = JSON.parse(readFileSync(file, 'utf8'))
  parsed.targets.staging.apis.inforouter.baseUrl = proxy.url
  writeFileSync(file, JSON.stringify(parsed))
  return file
}

const isBaseUrlGet = (a: Arrival) => a.operation === '/' && a.sent.startsWith('/\n')
const run = (concurrency: number, out: string) =>
  conform(['run', '--target', 'staging', '--config', config(concurrency), '--out', join(s.dir, out), '--api', 'inforouter', '--covers', 'IE-5'], s.env)

describe('the base-URL GETs alongside the account preflight', () => {
  for (const concurrency of [1, 2]) {
    test(`concurrency ${concurrency}: never more than ${concurrency} request(s) in flight, the GET's included`, async () => {
      proxy.reset()
      // The GET's answer is held until as many account requests arrived as the whole budget: with a budget of their
      // own they would (one more than the limit in flight); sharing it, no more than the rest of it can.
      let during = 0
      proxy.hold = async (a) => {
        if (!isBaseUrlGet(a)) return
        const before = proxy.arrivals.length
        await proxy.until((all) => all.length - before >= concurrency, 3_000)
        during = proxy.arrivals.length - before
      }
      try {
        const r = await run(concurrency, `c${concurrency}`)
        expect(r.code, r.stdout + r.stderr).toBe(0)
      } finally {
        proxy.hold = undefined
      }
      expect(proxy.arrivals.filter(isBaseUrlGet)).toHaveLength(1)
      expect(proxy.maxInFlight).toBe(concurrency)
      // With room for one more, the accounts did not wait for the GET's answer.
      if (concurrency > 1) expect(during).toBeGreaterThan(0)
    }, 60_000)
  }

  test('a base URL that fails while every account passes: exit 3 with its error, and every session logged out', async () => {
    proxy.reset()
    proxy.drop = isBaseUrlGet
    try {
      const r = await run(4, 'dropped')
      expect(r.code, r.stdout + r.stderr).toBe(3)
      expect(r.stderr).toMatch(/inforouter at http:\/\/127\.0\.0\.1:\d+ could not be reached/)
      expect(r.stderr).not.toContain('TARGET_ACCOUNTS')
      expect(r.stdout).not.toContain('preflight:')
    } finally {
      proxy.drop = undefined
    }
    const count = (op: string) => proxy.arrivals.filter((a) => a.operation === op).length
    expect(count('AuthenticateUser')).toBeGreaterThan(0)
    expect(count('LogOut')).toBe(count('AuthenticateUser'))
  }, 60_000)
})

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startReference, type RunningReference } from '../../reference/index.ts'
import type { LoadStats } from '../../reference/observe/load.ts'
import type { Har } from '../../src/report/har.ts'
import { conform } from '../helpers/cli.ts'

/**
 * Checks share a staging target's fixture accounts: the suite runs them in parallel, yet never two at once on one
 * account, and never faster than the target's requests-per-second limit. The reference measures both itself.
 */
let ref: RunningReference
const accounts = [
  { role: 'member', userName: 'cc-ann', password: 'Ann-Secret-1207' },
  { role: 'member', userName: 'cc-ben', password: 'Ben-Secret-5521' },
  { role: 'sysadmin', userName: 'cc-root', password: 'Root-Secret-8830' },
]
const env = {
  CC_ANN: 'cc-ann',
  CC_ANN_PASSWORD: accounts[0]!.password,
  CC_BEN: 'cc-ben',
  CC_BEN_PASSWORD: accounts[1]!.password,
  CC_ROOT: 'cc-root',
  CC_ROOT_PASSWORD: accounts[2]!.password,
}

function config(limits: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'conform-cc-')), 'conform.config.yaml')
  writeFileSync(
    file,
    `targets:
  shared:
    allowWrites: true
    limits: { ${limits}, timeoutMs: 5000, maxBodyBytes: 1000000 }
    referenceControl: { url: ${ref.url}, key: "\${env:CC_CONTROL}" }
    apis:
      inforouter:
        baseUrl: ${ref.url}
        fixtures:
          member:
            - { userName: "\${env:CC_ANN}", password: "\${env:CC_ANN_PASSWORD}" }
            - { userName: "\${env:CC_BEN}", password: "\${env:CC_BEN_PASSWORD}" }
          sysadmin:
            - { userName: "\${env:CC_ROOT}", password: "\${env:CC_ROOT_PASSWORD}" }
`,
  )
  return file
}

async function control(method: 'GET' | 'DELETE', path: string): Promise<unknown> {
  const res = await request(`${ref.url}/__reference${path}`, { method, headers: { 'x-reference-control': ref.controlKey } })
  const text = await res.body.text()
  return text ? JSON.parse(text) : undefined
}

/** Per check (HAR page): when its first request started and its last answer came, and which accounts it named. */
function checkSpans(har: Har): Array<{ check: string; from: number; to: number; accounts: string[] }> {
  const spans = new Map<string, { check: string; from: number; to: number; accounts: Set<string> }>()
  for (const e of har.log.entries) {
    const from = Date.parse(e.startedDateTime)
    const s = spans.get(e.pageref) ?? { check: e.pageref, from, to: from, accounts: new Set<string>() }
    s.from = Math.min(s.from, from)
    s.to = Math.max(s.to, from + e.time)
    const sent = `${e.request.url} ${e.request.postData?.text ?? ''}`
    for (const a of accounts) if (sent.includes(a.userName)) s.accounts.add(a.userName)
    spans.set(e.pageref, s)
  }
  return [...spans.values()].map((s) => ({ ...s, accounts: [...s.accounts] }))
}

beforeAll(async () => {
  // A little latency, as a remote server has: requests then stay in flight long enough to overlap.
  ref = await startReference({ latencyMs: 5 })
  for (const a of accounts) {
    const res = await request(`${ref.url}/__reference/inforouter/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-reference-control': ref.controlKey },
      body: JSON.stringify({ ...a, firstName: a.userName, lastName: 'Shared', email: `${a.userName}@cc.example`, mobileNumber: '' }),
    })
    expect(res.statusCode).toBe(201)
    await res.body.dump()
  }
})
afterAll(() => ref.close())

describe('checks on shared fixture accounts', () => {
  test('run in parallel up to the limit, but never two at once on one account', async () => {
    await control('DELETE', '/stats')
    const out = mkdtempSync(join(tmpdir(), 'conform-cc-out-'))
    const r = await conform(['run', '--target', 'shared', '--config', config('concurrency: 4'), '--out', out, '--seed', '11'], {
      ...env,
      CC_CONTROL: ref.controlKey,
    })
    expect(r.code, r.stdout.slice(-2000) + r.stderr).toBe(0)
    const stats = (await control('GET', '/stats')) as LoadStats
    // As the reference saw it: requests overlapped (the run was parallel), within the limit, never on one user.
    expect(stats.requests).toBeGreaterThan(300)
    expect(stats.maxInFlight).toBeGreaterThanOrEqual(2)
    expect(stats.maxInFlight).toBeLessThanOrEqual(4)
    for (const a of accounts) expect(stats.users[`inforouter:${a.userName}`]?.requests, a.userName).toBeGreaterThan(0)
    expect(Object.entries(stats.users).filter(([, u]) => u.maxInFlight > 1)).toEqual([])
    expect(stats.maxInFlightPerUser).toBe(1)

    // As the suite recorded it: checks naming the same account never overlapped in time.
    const spans = checkSpans(JSON.parse(readFileSync(join(out, 'exchanges.har'), 'utf8')) as Har)
    const overlaps: string[] = []
    for (const [i, a] of spans.entries()) {
      for (const b of spans.slice(i + 1)) {
        const shared = a.accounts.filter((u) => b.accounts.includes(u))
        if (shared.length && a.from < b.to && b.from < a.to) overlaps.push(`${a.check} and ${b.check} on ${shared.join(', ')}`)
      }
    }
    expect(overlaps).toEqual([])
    expect(spans.filter((s) => s.accounts.length > 0).length).toBeGreaterThan(50)
  })

  test('start no more requests per second than the target allows', async () => {
    const rps = 40
    await control('DELETE', '/stats')
    const out = mkdtempSync(join(tmpdir(), 'conform-cc-out-'))
    const r = await conform(
      ['run', '--target', 'shared', '--config', config(`concurrency: 4, requestsPerSecond: ${rps}`), '--binding', 'soap11', '--out', out, '--seed', '12'],
      { ...env, CC_CONTROL: ref.controlKey },
    )
    expect(r.code, r.stdout.slice(-2000) + r.stderr).toBe(0)
    const { arrivals } = (await control('GET', '/stats')) as LoadStats
    expect(arrivals.length).toBeGreaterThan(2 * rps)
    // Over the run, the rate stayed at the limit; and no one-second window saw a burst beyond it. The reference stamps
    // arrivals when its event loop gets to them, so a busy machine bunches a few together: three allowed for that.
    const rate = ((arrivals.length - 1) * 1000) / (arrivals.at(-1)! - arrivals[0]!)
    expect(rate).toBeLessThanOrEqual(rps * 1.02)
    let most = 0
    for (let i = 0, j = 0; i < arrivals.length; i++) {
      while (arrivals[i]! - arrivals[j]! >= 1000) j++
      most = Math.max(most, i - j + 1)
    }
    expect(most).toBeLessThanOrEqual(rps + 3)
  })
})

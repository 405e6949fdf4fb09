import { Agent, request } from 'undici'
import { describe, expect, test } from 'vitest'
import { LoadMeter, touchUser } from '../../reference/observe/load.ts'
import { ReferenceConfigError } from '../../reference/index.ts'
import { startReferenceThread } from '../../reference/thread.ts'

describe('LoadMeter', () => {
  test('counts requests in flight at once, overall and per user; touches outside a request count nothing', () => {
    const m = new LoadMeter()
    touchUser('ir', 'nobody')
    const a = m.begin(true)
    const b = m.begin(true)
    m.within(a, () => touchUser('ir', 'jane'))
    m.within(b, () => touchUser('ir', 'bob'))
    m.end(a)
    m.end(b)
    const c = m.begin(true)
    m.within(c, () => touchUser('ir', 'jane'))
    m.end(c)
    const s = m.stats()
    expect(s.requests).toBe(3)
    expect(s.maxInFlight).toBe(2)
    expect(s.users).toEqual({ 'ir:jane': { requests: 2, maxInFlight: 1 }, 'ir:bob': { requests: 1, maxInFlight: 1 } })
    expect(s.maxInFlightPerUser).toBe(1)
    expect(s.arrivals).toHaveLength(3)
  })

  test('two requests on one user whose times overlap count as two, even if the later one is handled first', () => {
    const m = new LoadMeter()
    const early = m.begin(true)
    const late = m.begin(true)
    m.within(late, () => touchUser('ir', 'jane'))
    m.end(late)
    m.within(early, () => touchUser('ir', 'jane'))
    m.end(early)
    expect(m.stats().users['ir:jane']).toEqual({ requests: 2, maxInFlight: 2 })
  })

  test('control requests are not counted; memory stays bounded; reset starts afresh', () => {
    const m = new LoadMeter({ maxUsers: 3, maxArrivals: 4 })
    m.end(m.begin(false))
    for (let i = 0; i < 10; i++) {
      const r = m.begin(true)
      m.within(r, () => touchUser('ir', `u${i}`))
      m.end(r)
    }
    const s = m.stats()
    expect(s.requests).toBe(10)
    expect(Object.keys(s.users)).toEqual(['ir:u7', 'ir:u8', 'ir:u9'])
    expect(s.arrivals).toHaveLength(4)
    expect(s.arrivals).toEqual([...s.arrivals].sort((x, y) => x - y))
    m.reset()
    expect(m.stats()).toMatchObject({ requests: 0, maxInFlight: 0, users: {}, arrivals: [] })
  })
})

describe('the reference on a thread of its own', () => {
  test('serves, counts, and closes', async () => {
    const ref = await startReferenceThread()
    try {
      const res = await request(`${ref.url}/srv.asmx/AuthenticateUser?UID=nobody&PWD=x`)
      expect(await res.body.text()).toContain('success="false"')
      const stats = await request(`${ref.url}/__reference/stats`, { headers: { 'x-reference-control': ref.controlKey } })
      expect(((await stats.body.json()) as { requests: number }).requests).toBe(1)
    } finally {
      await ref.close()
    }
    // A fresh connection (the global pool may still hold a kept-alive socket the closing server just dropped).
    const fresh = new Agent()
    await expect(request(`${ref.url}/srv.asmx?WSDL`, { dispatcher: fresh })).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    await fresh.close()
  })

  test('an unknown deviation is refused as on the main thread', async () => {
    await expect(startReferenceThread({ deviations: ['no-such-thing'] })).rejects.toBeInstanceOf(ReferenceConfigError)
  })
})

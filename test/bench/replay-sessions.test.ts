import { describe, expect, test } from 'vitest'
import { ReplaySessions } from '../../bench/lib/replay-sessions.ts'
import { partition } from '../../bench/lib/replay.ts'
import { fieldValue, secretFields } from '../../bench/lib/replay-secrets.ts'
import { loadProject } from '../../src/project.ts'
import type { Har } from '../../src/report/har.ts'

describe('the replay finds each session by the account its login was for, across checks, in the HAR order', () => {
  test("a check that logged no one in uses the session an earlier check's login opened for its caller's account", async () => {
    const s = new ReplaySessions()
    s.planLogin('ecgridos', 'alice', 2)
    s.planLogin('ecgridos', 'bob', 5)
    s.opened('ecgridos', 'alice', 2, 'live-a')
    s.opened('ecgridos', 'bob', 5, 'live-b')
    expect(await s.at('ecgridos', 'alice', 9)).toBe('live-a')
    expect(await s.at('ecgridos', 'bob', 9)).toBe('live-b')
    // Another API, an account no login named, an exchange before the login: no session.
    expect(await s.at('inforouter', 'alice', 9)).toBeUndefined()
    expect(await s.at('ecgridos', 'carol', 9)).toBeUndefined()
    expect(await s.at('ecgridos', 'alice', 1)).toBeUndefined()
    expect(await s.at('ecgridos', undefined, 9)).toBeUndefined()
  })

  test('a new login of an account (a session renewed) serves the exchanges after it; those before keep the old one', async () => {
    const s = new ReplaySessions()
    s.planLogin('inforouter', 'alice', 10)
    s.planLogin('inforouter', 'alice', 3)
    s.opened('inforouter', 'alice', 3, 'first')
    s.opened('inforouter', 'alice', 10, 'second')
    expect(await s.at('inforouter', 'alice', 7)).toBe('first')
    expect(await s.at('inforouter', 'alice', 11)).toBe('second')
  })

  test('an exchange whose login the replay has not had yet waits for its answer, as the run had it before', async () => {
    const s = new ReplaySessions()
    s.planLogin('ecgridos', 'alice', 4)
    const waiting = s.at('ecgridos', 'alice', 8)
    let got: string | undefined = 'unsettled'
    void waiting.then((t) => {
      got = t
    })
    await Promise.resolve()
    expect(got).toBe('unsettled')
    s.opened('ecgridos', 'alice', 4, 'late')
    expect(await waiting).toBe('late')
  })

  test('logouts outside any check end the sessions in the order they were opened', async () => {
    const s = new ReplaySessions()
    for (const [account, place] of [
      ['a', 1],
      ['b', 2],
    ] as const)
      s.planLogin('ecgridos', account, place)
    s.opened('ecgridos', 'b', 2, 'tb')
    s.opened('ecgridos', 'a', 1, 'ta')
    expect(await s.closeOldest('ecgridos')).toBe('tb')
    expect(await s.closeOldest('ecgridos')).toBe('ta')
    expect(await s.closeOldest('ecgridos')).toBeUndefined()
  })
})

describe('partition: the run order, with what happened outside any check', () => {
  const entry = (pageref: string | undefined, at: string, operation = 'x') => ({ pageref, _operation: operation, startedDateTime: `2026-12-05T10:00:0${at}Z` })

  test('before the first check, the checks by their first exchange (each in recorded order), after the last', () => {
    const entries = [
      entry(undefined, '0.000', 'Login'),
      entry('b', '1.000'),
      entry('a', '1.500'),
      entry('b', '1.200'),
      entry('a', '2.000'),
      entry(undefined, '3.000', 'Logout'),
    ]
    const har = { log: { entries } } as unknown as Har
    const { before, checks, after } = partition(har)
    expect(before.map((p) => p.place)).toEqual([0])
    expect(checks.map((c) => c.map((p) => p.place))).toEqual([
      [1, 3],
      [2, 4],
    ])
    expect(after.map((p) => p.entry._operation)).toEqual(['Logout'])
  })
})

describe('fieldValue: what a named field carries in a recorded request (the user a login is for)', () => {
  test('query, form, XML (any prefix, unescaped), JSON and headers', () => {
    expect(fieldValue({ url: 'http://h/Login?LoginName=al%20ice&Password=***', headers: {} }, 'loginname')).toBe('al ice')
    expect(fieldValue({ url: 'http://h/x', headers: {}, body: 'UID=bob&PWD=***' }, 'uid')).toBe('bob')
    expect(fieldValue({ url: 'http://h/x', headers: {}, body: '<s:Envelope><a:UID>o&apos;neil&amp;co</a:UID><a:PWD>***</a:PWD></s:Envelope>' }, 'uid')).toBe(
      "o'neil&co",
    )
    expect(fieldValue({ url: 'http://h/x', headers: {}, body: '{"Request.sUsername":"c\\"d","x":1}' }, 'susername')).toBe('c"d')
    expect(fieldValue({ url: 'http://h/x', headers: { 'X-Api-Key': '***' }, body: '{}' }, 'x-api-key')).toBe('***')
    expect(fieldValue({ url: 'http://h/x?a=1', headers: {}, body: 'b=2' }, 'c')).toBeUndefined()
  })

  test("each API's login names its user in one field, from a user attribute that is no secret", () => {
    const project = loadProject()
    const account = (api: string) => secretFields(project.apis.get(api)!).account
    expect(account('ecgridos')).toEqual({ field: 'username', attribute: 'login' })
    expect(account('ecgridos-v41')).toEqual({ field: 'loginname', attribute: 'login' })
    expect(account('inforouter')).toEqual({ field: 'uid', attribute: 'userName' })
    expect(account('ecgrid-rest')).toBeUndefined()
  })
})

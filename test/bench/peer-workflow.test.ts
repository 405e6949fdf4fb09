import { describe, expect, test } from 'vitest'
import { ECGRID_REST_USERS, peerWorkflow, standaloneWorkflow, userOf, workflowRequests } from '../../bench/lib/peer-workflow.ts'
import type { Har, HarEntry } from '../../src/report/har.ts'

const entry = (
  pageref: string,
  method: string,
  url: string,
  headers: Record<string, string>,
  status: number,
  body?: string,
  extra: Record<string, unknown> = {},
) => ({
  pageref,
  _operation: method === 'PUT' ? 'UpdateUser' : 'GetUser',
  _purpose: method === 'PUT' ? 'call' : 'read back',
  startedDateTime: '2026-01-01T10:00:00.000Z',
  time: 50,
  request: {
    method,
    url,
    headers: Object.entries(headers).map(([name, value]) => ({ name, value })),
    ...(body !== undefined ? { postData: { mimeType: 'application/json', text: body } } : {}),
  },
  response: { status },
  ...extra,
})

describe('the peer workflow', () => {
  const har = {
    log: {
      entries: [
        entry(
          'ecgrid-rest.update-user.persisted@rest-json',
          'PUT',
          'http://127.0.0.1:9/v2/users',
          { 'x-api-key': '***', 'content-type': 'application/json', 'content-length': '20' },
          200,
          '{"userId":7,"email":"a@b.c"}',
        ),
        entry('ecgrid-rest.update-user.missing-api-key@rest-json', 'PUT', 'http://127.0.0.1:9/v2/users', { 'content-type': 'application/json' }, 401, '{}'),
        entry('ecgrid-rest.update-user.persisted@rest-json', 'GET', 'http://127.0.0.1:9/v2/users/7', { 'x-api-key': '***' }, 200),
        entry('inforouter.update-user-email.ok@soap11', 'POST', 'http://127.0.0.1:9/srv.asmx', {}, 200, '<x/>'),
        entry('ecgrid-rest.update-user.persisted@rest-json', 'POST', 'http://127.0.0.1:9/__reference/ecgridos/users', {}, 201, '{}', { comment: 'control' }),
      ],
    },
  } as unknown as Har

  test("one test per check of the API, its requests in order as sent, each checking the status our run got; secrets are the workflow's secret", () => {
    const w = peerWorkflow(har, 'ecgrid-rest.', 16)
    expect(w.config).toEqual({ continueOnFail: true, concurrency: 16, http: { rejectUnauthorized: true } })
    expect(Object.keys(w.tests)).toEqual(['ecgrid-rest_update-user_persisted_rest-json', 'ecgrid-rest_update-user_missing-api-key_rest-json'])
    const persisted = w.tests['ecgrid-rest_update-user_persisted_rest-json']!
    expect(persisted.name).toBe('ecgrid-rest.update-user.persisted@rest-json')
    expect(persisted.steps).toEqual([
      {
        name: '1 call UpdateUser',
        http: {
          url: 'http://127.0.0.1:9/v2/users',
          method: 'PUT',
          headers: { 'x-api-key': '${{secrets.key}}', 'content-type': 'application/json' },
          body: '{"userId":7,"email":"a@b.c"}',
          check: { status: 200 },
        },
      },
      {
        name: '2 read back GetUser',
        http: { url: 'http://127.0.0.1:9/v2/users/7', method: 'GET', headers: { 'x-api-key': '${{secrets.key}}' }, check: { status: 200 } },
      },
    ])
    // A request without a key keeps none.
    expect(w.tests['ecgrid-rest_update-user_missing-api-key_rest-json']!.steps[0]!.http.headers).toEqual({ 'content-type': 'application/json' })
    expect(workflowRequests(w)).toBe(3)
  })

  test('no secret value can reach the workflow: only the placeholder the HAR already had', () => {
    expect(JSON.stringify(peerWorkflow(har, 'ecgrid-rest.', 4))).not.toContain('***')
  })
})

describe('the equivalent workflow (standalone tests)', () => {
  const origin = 'http://127.0.0.1:9'
  const key = { 'x-api-key': '***' }
  const json = { ...key, 'content-type': 'application/json' }
  const read = (check: string, id: number | string, purpose: string, status = 200) =>
    entry(check, 'GET', `${origin}/v2/users/${id}`, key, status, undefined, { _purpose: purpose })
  const put = (check: string, body: string, status: number, purpose = 'call', headers: Record<string, string> = json) =>
    entry(check, 'PUT', `${origin}/v2/users`, headers, status, body, { _purpose: purpose })
  const [persisted, twoUsers, malformed, unknown, noUser] = ['persisted', 'two-users', 'malformed-json', 'unknown-user', 'no-user'].map(
    (c) => `ecgrid-rest.update-user.${c}@rest-json`,
  ) as [string, string, string, string, string]
  const har = {
    log: {
      entries: [
        // The user is in the body first, then read back, restored: one snapshot.
        put(persisted, '{"userId":7,"email":"a@b.c"}', 200),
        entry(persisted, 'GET', `${origin}/v2/users/7`, key, 200, undefined, { _purpose: 'call' }),
        read(persisted, 7, 'restore read'),
        put(persisted, '{"userId":7,"email":"old@b.c"}', 200, 'restore write'),
        read(persisted, 7, 'restore read'),
        // The user changed, and the caller's own user read at the restore: two, in the order first touched.
        put(twoUsers, '{"userId":8,"firstName":"x"}', 403),
        read(twoUsers, 8, 'read back'),
        read(twoUsers, 3, 'read back'),
        read(twoUsers, 8, 'read back'),
        // A malformed body still names its user; the read back is of the same one.
        put(malformed, '{"userId": 9, "firstName": ', 400),
        read(malformed, 9, 'read back'),
        // An id no GET found (here: answered 404) has no snapshot; the user read back has.
        put(unknown, '{"userId":2000000000,"firstName":"y"}', 404),
        read(unknown, 2000000000, 'read back', 404),
        read(unknown, 4, 'read back'),
        // A string id is not a user's.
        put(noUser, '{"userId":"9x"}', 400),
        entry(persisted, 'POST', `${origin}/__reference/ecgridos/users`, {}, 201, '{"userId":5}', { comment: 'control' }),
      ],
    },
  } as unknown as Har
  const w = standaloneWorkflow(har, 'ecgrid-rest.', 16)
  const asSent = peerWorkflow(har, 'ecgrid-rest.', 16)
  const snapshotsOf = (check: string) =>
    w.tests[check.replace(/[^A-Za-z0-9_-]+/g, '_')]!.steps.filter((s) => s.name.includes('snapshot')).map((s) => s.http.url.slice(origin.length))

  test("each test: one snapshot GET per user the check touches, with the reader's key, before the check's requests as sent", () => {
    expect(Object.keys(w.tests)).toEqual(Object.keys(asSent.tests))
    for (const [id, t] of Object.entries(w.tests)) {
      const sent = asSent.tests[id]!.steps
      const snapshots = t.steps.length - sent.length
      expect(t.steps.slice(0, snapshots).every((s) => s.name.includes('snapshot'))).toBe(true)
      expect(t.steps.slice(snapshots).map((s) => ({ ...s, name: s.name.replace(/^\d+ /, '') }))).toEqual(
        sent.map((s) => ({ ...s, name: s.name.replace(/^\d+ /, '') })),
      )
      expect(t.steps.map((s) => s.name.split(' ')[0])).toEqual(t.steps.map((_, i) => String(i + 1)))
    }
    expect(snapshotsOf(persisted)).toEqual(['/v2/users/7'])
    expect(snapshotsOf(twoUsers)).toEqual(['/v2/users/8', '/v2/users/3'])
    expect(snapshotsOf(malformed)).toEqual(['/v2/users/9'])
    expect(snapshotsOf(unknown)).toEqual(['/v2/users/4'])
    expect(snapshotsOf(noUser)).toEqual([])
    expect(workflowRequests(w)).toBe(workflowRequests(asSent) + 5)
  })

  test("a snapshot copies a GET of the user that answered 200 (the key the reader's), and checks that status", () => {
    const snapshot = w.tests['ecgrid-rest_update-user_persisted_rest-json']!.steps[0]!
    expect(snapshot).toEqual({
      name: '1 snapshot GetUser',
      http: { url: `${origin}/v2/users/7`, method: 'GET', headers: { 'x-api-key': '${{secrets.key}}' }, check: { status: 200 } },
    })
    expect(JSON.stringify(w)).not.toContain('***')
  })

  test('the users a request names: its URL, else the body field as a number', () => {
    const users = ECGRID_REST_USERS
    expect(userOf(read(persisted, 12, 'read back') as unknown as HarEntry, users)).toBe('12')
    expect(userOf(put(persisted, '{"email":"a","userId":13}', 200) as unknown as HarEntry, users)).toBe('13')
    expect(userOf(put(persisted, '{"userId": 14 ,', 400) as unknown as HarEntry, users)).toBe('14')
    for (const body of ['{"userId":"15"}', '{"userId":1.5}', '{"userId":15e2}', '{"otherUserId":16}', '{}'])
      expect(userOf(put(persisted, body, 400) as unknown as HarEntry, users)).toBeUndefined()
  })
})

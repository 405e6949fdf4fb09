import { describe, expect, test } from 'vitest'
import { peerWorkflow, workflowRequests } from '../../bench/lib/peer-workflow.ts'
import type { Har } from '../../src/report/har.ts'

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

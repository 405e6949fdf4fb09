import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startClient, type RefClient } from './helpers.ts'
import { EcgridClient, JSON_TYPE, restError, type EcFixture } from './ecgrid-helpers.ts'

let c: RefClient
let ec: EcgridClient
beforeAll(async () => {
  c = await startClient({ maxRequestBytes: 4096 })
  ec = new EcgridClient(c)
})
afterAll(async () => {
  await c.ref.close()
})

const ISO_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/

function restData(user: EcFixture, created: unknown): Record<string, unknown> {
  return {
    userId: user.userId,
    login: user.login,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    networkId: user.networkId,
    mailboxId: user.mailboxId,
    authLevel: user.role,
    status: 'Active',
    created,
  }
}

describe('PUT /v2/users', () => {
  let user: EcFixture
  let created: unknown
  beforeAll(async () => {
    user = await ec.provision({ role: 'MailboxAdmin' })
    created = (await ec.read(user)).created
  })

  test('updates the three fields and answers 200 {success, data} with the saved user; GET shows the same', async () => {
    const answer = await ec.put(user.apiKey, { userId: user.userId, email: 'john.smith@example.com', firstName: 'Jon', lastName: 'Smyth' })
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe(JSON_TYPE)
    const data = { ...restData(user, created), email: 'john.smith@example.com', firstName: 'Jon', lastName: 'Smyth' }
    expect(answer.json).toEqual({ success: true, data })
    expect(Object.keys(answer.json)).toEqual(['success', 'data'])
    expect(created).toMatch(ISO_Z)
    expect(await ec.read(user)).toEqual(data)
  })

  test('a field left out or null is unchanged; "" clears a name', async () => {
    await ec.put(user.apiKey, { userId: user.userId, email: 'p@q.test', firstName: 'P', lastName: 'Q' })
    expect((await ec.put(user.apiKey, { userId: user.userId, firstName: 'R' })).json.data).toMatchObject({ email: 'p@q.test', firstName: 'R', lastName: 'Q' })
    expect((await ec.put(user.apiKey, { userId: user.userId, email: null, firstName: null, lastName: 'S' })).json.data).toMatchObject({
      email: 'p@q.test',
      firstName: 'R',
      lastName: 'S',
    })
    expect((await ec.put(user.apiKey, { userId: user.userId, firstName: '', lastName: '' })).json.data).toMatchObject({
      email: 'p@q.test',
      firstName: '',
      lastName: '',
    })
    expect((await ec.put(user.apiKey, { userId: user.userId })).status).toBe(200)
    expect(await ec.read(user)).toMatchObject({ email: 'p@q.test', firstName: '', lastName: '' })
  })

  test('an invalid or empty email is 400 InvalidParameter and nothing changes, not even the names in the same body', async () => {
    await ec.put(user.apiKey, { userId: user.userId, email: 'keep@me.test', firstName: 'Keep', lastName: 'Me' })
    for (const email of ['', 'nope', 'a@b', 'a b@c.de']) {
      const answer = await ec.put(user.apiKey, { userId: user.userId, email, firstName: 'Changed', lastName: 'Changed' })
      expect(answer.status).toBe(400)
      expect(answer.json).toEqual(restError('InvalidParameter'))
    }
    expect(await ec.read(user)).toMatchObject({ email: 'keep@me.test', firstName: 'Keep', lastName: 'Me' })
  })

  test('a contact field that is not a string or null is 400, and nothing changes', async () => {
    for (const body of [{ firstName: 5 }, { lastName: true }, { email: ['a@b.cd'] }, { firstName: 'X', email: {} }]) {
      const answer = await ec.put(user.apiKey, { userId: user.userId, ...body })
      expect(answer.status).toBe(400)
      expect(answer.json).toEqual(restError('InvalidParameter'))
    }
    expect((await ec.read(user)).firstName).toBe('Keep')
  })

  test('login, authLevel, networkId, mailboxId, status, created and unknown fields are ignored', async () => {
    const before = await ec.read(user)
    const answer = await ec.put(user.apiKey, {
      userId: user.userId,
      firstName: 'Mass',
      login: 'hijacked',
      authLevel: 'Root',
      networkId: 1,
      mailboxId: 2,
      status: 'Terminated',
      created: '2000-01-01T00:00:00Z',
      password: 'x',
      isAdmin: true,
    })
    expect(answer.status).toBe(200)
    expect(answer.json.data).toEqual({ ...before, firstName: 'Mass' })
    expect(await ec.read(user)).toEqual({ ...before, firstName: 'Mass' })
  })

  test('userId missing or not a JSON integer is 400; unknown is 404 ObjectNotFound', async () => {
    for (const body of [{}, { userId: String(user.userId) }, { userId: 1.5 }, { userId: null }, { userId: 2 ** 31 }, { userId: true }]) {
      const answer = await ec.put(user.apiKey, { ...body, firstName: 'Nope' })
      expect(answer.status).toBe(400)
      expect(answer.json).toEqual(restError('InvalidParameter'))
    }
    for (const userId of [999999, 0, -1]) {
      const answer = await ec.put(user.apiKey, { userId, firstName: 'Nope' })
      expect(answer.status).toBe(404)
      expect(answer.json).toEqual(restError('ObjectNotFound'))
    }
    expect((await ec.read(user)).firstName).not.toBe('Nope')
  })

  test('a missing, empty or unknown X-API-Key is 401 InvalidAPIKey; no authority is 403 AccessDenied', async () => {
    const stranger = await ec.provision()
    for (const key of [null, '', 'f'.repeat(32), user.apiKey.toUpperCase()]) {
      const answer = await ec.put(key, { userId: user.userId, firstName: 'Nope' })
      expect(answer.status).toBe(401)
      expect(answer.json).toEqual(restError('InvalidAPIKey'))
    }
    const denied = await ec.put(stranger.apiKey, { userId: user.userId, firstName: 'Nope' })
    expect(denied.status).toBe(403)
    expect(denied.json).toEqual(restError('AccessDenied'))
    expect((await ec.read(user)).firstName).not.toBe('Nope')
  })

  test('a wrong Content-Type, malformed JSON or a body that is not an object is 400, never 500', async () => {
    const cases: Array<{ raw: string; contentType: string | null }> = [
      { raw: JSON.stringify({ userId: user.userId }), contentType: null },
      { raw: JSON.stringify({ userId: user.userId }), contentType: 'text/plain' },
      { raw: JSON.stringify({ userId: user.userId }), contentType: 'application/x-www-form-urlencoded' },
      { raw: '{"userId": ', contentType: 'application/json' },
      { raw: '', contentType: 'application/json' },
      { raw: '[1,2]', contentType: 'application/json' },
      { raw: 'null', contentType: 'application/json' },
      { raw: '"text"', contentType: 'application/json; charset=utf-8' },
    ]
    for (const { raw, contentType } of cases) {
      const answer = await ec.rest('PUT', '/v2/users', { key: user.apiKey, raw, contentType })
      expect(answer.status).toBe(400)
      expect(answer.contentType).toBe(JSON_TYPE)
      expect(answer.json).toEqual(restError('InvalidParameter'))
    }
    const invalidUtf8 = await c.raw('PUT', '/v2/users', {
      headers: { 'x-api-key': user.apiKey, 'content-type': 'application/json' },
      body: Buffer.from([0x7b, 0xff, 0x7d]),
    })
    expect(invalidUtf8.status).toBe(400)
  })

  test('check order: key before body, body before userId, user before authority, authority before fields', async () => {
    const stranger = await ec.provision()
    expect((await ec.rest('PUT', '/v2/users', { key: null, raw: '{oops' })).status).toBe(401)
    expect((await ec.rest('PUT', '/v2/users', { key: user.apiKey, raw: '{oops' })).status).toBe(400)
    expect((await ec.put(user.apiKey, { userId: 999999, email: 'bad' })).status).toBe(404)
    expect((await ec.put(stranger.apiKey, { userId: user.userId, email: 'bad', firstName: 7 })).status).toBe(403)
  })

  test('a body over the size limit is 413 in the JSON envelope', async () => {
    const answer = await ec.put(user.apiKey, { userId: user.userId, firstName: 'x'.repeat(10_000) })
    expect(answer.status).toBe(413)
    expect(answer.contentType).toBe(JSON_TYPE)
    expect(answer.json).toEqual(restError('InvalidParameter'))
  })
})

describe('GET /v2/users/{id}', () => {
  test('answers the user; a non-integer id is 400, unknown 404, no authority 403, no key 401', async () => {
    const user = await ec.provision({ firstName: 'Gina', lastName: '' })
    const stranger = await ec.provision()
    const ok = await ec.get(user.apiKey, user.userId)
    expect(ok.status).toBe(200)
    expect(ok.contentType).toBe(JSON_TYPE)
    expect(ok.json).toEqual({ success: true, data: restData(user, expect.stringMatching(ISO_Z)) })
    for (const id of ['abc', '1.5', '5e3', '99999999999', '%20']) {
      const answer = await ec.get(user.apiKey, id)
      expect(answer.status).toBe(400)
      expect(answer.json).toEqual(restError('InvalidParameter'))
    }
    expect((await ec.get(user.apiKey, 999999)).json).toEqual(restError('ObjectNotFound'))
    expect((await ec.get(user.apiKey, 999999)).status).toBe(404)
    expect((await ec.get(stranger.apiKey, user.userId)).status).toBe(403)
    expect((await ec.get(stranger.apiKey, user.userId)).json).toEqual(restError('AccessDenied'))
    expect((await ec.get(null, user.userId)).status).toBe(401)
    expect((await ec.get(null, user.userId)).json).toEqual(restError('InvalidAPIKey'))
  })
})

describe('routing', () => {
  test('other methods on these paths are 405 InvalidParameter (with Allow); unknown /v2 paths 404 ObjectNotFound', async () => {
    const user = await ec.provision()
    for (const [method, path, allow] of [
      ['GET', '/v2/users', 'PUT'],
      ['POST', '/v2/users', 'PUT'],
      ['DELETE', '/v2/users', 'PUT'],
      ['PUT', `/v2/users/${user.userId}`, 'GET'],
      ['DELETE', `/v2/users/${user.userId}`, 'GET'],
      ['PATCH', `/v2/users/${user.userId}`, 'GET'],
    ] as const) {
      const answer = await ec.rest(method, path, { key: user.apiKey, body: { userId: user.userId } })
      expect(answer.status).toBe(405)
      expect(answer.contentType).toBe(JSON_TYPE)
      expect(answer.headers.allow).toBe(allow)
      expect(answer.json).toEqual(restError('InvalidParameter'))
    }
    for (const path of ['/v2', '/v2/', '/v2/users/', '/v2/users/1/extra', '/v2/mailboxes', '/v2/users/me/x']) {
      const answer = await ec.rest('GET', path, { key: user.apiKey })
      expect(answer.status).toBe(404)
      expect(answer.json).toEqual(restError('ObjectNotFound'))
    }
  })

  test("SOAP and REST are one store: each sees the other's changes, Created is the same instant", async () => {
    const user = await ec.provision({ role: 'MailboxAdmin' })
    const session = await ec.login(user)
    await ec.call('1.1', 'UserUpdate', { SessionID: session, UserID: String(user.userId), FirstName: 'ViaSoap', Email: 'soap@x.test' })
    const viaRest = await ec.read(user)
    expect(viaRest).toMatchObject({ firstName: 'ViaSoap', email: 'soap@x.test' })
    await ec.put(user.apiKey, { userId: user.userId, lastName: 'ViaRest' })
    const viaSoap = await ec.userInfo(session, user.userId)
    expect(viaSoap).toMatchObject({ FirstName: 'ViaSoap', LastName: 'ViaRest', Email: 'soap@x.test' })
    // the zone is written, so any reader (whatever its own time zone) gets the instant REST names
    expect(viaSoap.Created).toMatch(/Z$/)
    expect(Date.parse(viaSoap.Created ?? '')).toBe(Date.parse(String(viaRest.created)))
  })
})

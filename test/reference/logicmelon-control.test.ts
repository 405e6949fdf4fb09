import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { embeddedApis } from '../../reference/index.ts'
import { parseNewFixtureUser } from '../../reference/logicmelon/control.ts'
import { startClient, uniqueName, type RefClient } from './helpers.ts'
import { LmClient, UPDATEABLE_TEXT, credentials, processFault, profile } from './logicmelon-helpers.ts'

let c: RefClient
let lm: LmClient
beforeAll(async () => {
  c = await startClient()
  lm = new LmClient(c)
})
afterAll(async () => {
  await c.ref.close()
})

const USERS = '/__reference/logicmelon/users'
const post = (body: unknown, key?: string | null) => c.control('POST', USERS, body, key)
const base = (overrides: Record<string, unknown> = {}) => ({
  username: uniqueName('ctl'),
  password: 'pw',
  role: 'Administrator',
  group: uniqueName('g'),
  ...overrides,
})
const created = async (body: Record<string, unknown>): Promise<Record<string, string>> => {
  const answer = await post(body)
  expect(answer.status, answer.body).toBe(201)
  return JSON.parse(answer.body) as Record<string, string>
}

describe('POST /__reference/logicmelon/users', () => {
  test('201 with userId, organisationId, organisationIdentifier, userIdentifier and apiKey, all strings', async () => {
    const answer = await post(base())
    expect(answer.status).toBe(201)
    expect(answer.contentType).toBe('application/json; charset=utf-8')
    const ids = JSON.parse(answer.body) as Record<string, unknown>
    expect(Object.keys(ids).sort()).toEqual(['apiKey', 'organisationId', 'organisationIdentifier', 'userId', 'userIdentifier'])
    for (const value of Object.values(ids)) expect(typeof value).toBe('string')
    expect(Number(ids.userId)).toBeGreaterThanOrEqual(20001)
    expect(Number(ids.organisationId)).toBeGreaterThanOrEqual(1001)
    expect(ids.organisationIdentifier).toMatch(/^org-[0-9a-f]{6}$/)
    expect(ids.userIdentifier).toMatch(/^usr-[0-9a-f]{8}$/)
    expect(ids.apiKey).toMatch(/^[0-9a-f]{32}$/)
  })

  test('one account key; a group shares one organisation under the account; other-organisation is one child of it; top is the account', async () => {
    const group = uniqueName('g')
    const first = await created(base({ group }))
    const second = await created(base({ group, placement: 'same' }))
    const childA = await created(base({ group, placement: 'other-organisation' }))
    const childB = await created(base({ group, placement: 'other-organisation' }))
    const elsewhere = await created(base())
    const top = await created(base({ placement: 'top' }))
    const topAgain = await created(base({ placement: 'top' }))
    expect(second).toMatchObject({ organisationId: first.organisationId, organisationIdentifier: first.organisationIdentifier, apiKey: first.apiKey })
    expect(childA.organisationId).not.toBe(first.organisationId)
    expect(childB).toMatchObject({ organisationId: childA.organisationId, apiKey: first.apiKey })
    expect(elsewhere.organisationId).not.toBe(first.organisationId)
    expect(new Set([first, childA, elsewhere, top].map((u) => u.apiKey)).size).toBe(1)
    expect(topAgain.organisationId).toBe(top.organisationId)
    expect([first.organisationId, childA.organisationId, elsewhere.organisationId]).not.toContain(top.organisationId)
  })

  test('profile fields (camelCase) and userIdentifier are stored; flags start false; the role is the UserRoleID', async () => {
    const fixture = await lm.provision({ role: 'Recruiter', userIdentifier: 'EXT-9', ...profile('ctl') })
    const viewer = await lm.provision({ role: 'Administrator', group: fixture.group })
    const user = await lm.read(viewer, fixture.userId)
    expect(user).toMatchObject({ UserIdentifier: 'EXT-9', UserRoleID: '2', Username: fixture.username, Password: '', BBDExpiredEmail: 'false' })
    for (const field of UPDATEABLE_TEXT) expect(user[field]).toBe(`${field}-ctl`)
    expect(fixture.userIdentifier).toBe('EXT-9')
  })

  test('400 for a bad body: unknown fields (listing the allowed ones), missing or empty required fields, bad role or placement', async () => {
    const unknown = await post(base({ login: 'x', status: 'Active' }))
    expect(unknown.status).toBe(400)
    expect(JSON.parse(unknown.body).message).toBe(
      'unknown fields: login, status; allowed: username, password, role, group, placement, userIdentifier, firstName, lastName, phone, email, ' +
        'applicationsEmail, fax, userCultureID, webSite, userAddress1, userAddress2, userAddress3, userState, userCountry, userPostCode, userWebSite, mobile, position',
    )
    for (const body of [
      base({ username: '' }),
      base({ group: '' }),
      base({ role: 'Root' }),
      base({ placement: 'other-network' }),
      base({ firstName: 5 }),
      { password: 'pw', role: 'Administrator', group: 'g' },
      [],
      'text',
    ]) {
      expect((await post(body)).status, JSON.stringify(body)).toBe(400)
    }
  })

  test('409 when the username exists, in any case', async () => {
    const body = base()
    await created(body)
    const again = await post({ ...body, username: body.username.toUpperCase(), group: 'another' })
    expect(again.status).toBe(409)
  })

  test('403 without the control key', async () => {
    expect((await post(base(), null)).status).toBe(403)
  })
})

describe('DELETE /__reference/logicmelon/users/<username>', () => {
  test('204, then the user cannot sign in; 404 for an unknown username', async () => {
    const fixture = await lm.provision({ role: 'Administrator' })
    expect((await lm.list(fixture)).length).toBe(1)
    expect((await c.control('DELETE', `${USERS}/${encodeURIComponent(fixture.username.toUpperCase())}`)).status).toBe(204)
    expect((await lm.call('1.1', 'UserList', credentials(fixture))).fault?.reason).toBe(processFault('Authentication failed.'))
    expect((await c.control('DELETE', `${USERS}/${encodeURIComponent(fixture.username)}`)).status).toBe(404)
  })
})

describe('parseNewFixtureUser and embeddedApis', () => {
  test('defaults: placement same, userIdentifier and profile strings ""', () => {
    const parsed = parseNewFixtureUser({ username: 'u', password: 'p', role: 'Recruiter', group: 'g' })
    expect(parsed).toMatchObject({ ok: true, user: { username: 'u', password: 'p', role: 'Recruiter', group: 'g', placement: 'same', userIdentifier: '' } })
    expect(parsed.ok && Object.values(parsed.user.profile).every((v) => v === '')).toBe(true)
  })

  test('embeddedApis() lists LogicMelon at /json/Administration.asmx with a WSDL', () => {
    expect(embeddedApis().find((a) => a.api === 'logicmelon')).toEqual({
      api: 'logicmelon',
      title: 'LogicMelon',
      paths: ['/json/Administration.asmx'],
      wsdl: true,
    })
  })
})

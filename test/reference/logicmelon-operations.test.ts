import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startClient, type RefClient } from './helpers.ts'
import { LmClient, SERVER_CODE, VERSIONS, credentials, processFault, type LmFixture, type XRecord } from './logicmelon-helpers.ts'

let c: RefClient
let lm: LmClient
/** Group A: an Administrator and a Recruiter in the top-level organisation, an Administrator and a Recruiter in its child. */
let admin: LmFixture
let recruiter: LmFixture
let childAdmin: LmFixture
let childRecruiter: LmFixture
/** Group B: another tree. */
let otherAdmin: LmFixture
let otherUser: LmFixture
beforeAll(async () => {
  c = await startClient()
  lm = new LmClient(c)
  admin = await lm.provision({ role: 'Administrator' })
  recruiter = await lm.provision({ role: 'Recruiter', group: admin.group, userIdentifier: 'Rec-Ident-1' })
  childAdmin = await lm.provision({ role: 'Administrator', group: admin.group, placement: 'other-organisation' })
  childRecruiter = await lm.provision({ role: 'Recruiter', group: admin.group, placement: 'other-organisation' })
  otherAdmin = await lm.provision({ role: 'Administrator' })
  otherUser = await lm.provision({ role: 'Recruiter', group: otherAdmin.group })
})
afterAll(async () => {
  await c.ref.close()
})

const AUTH_FAILED = processFault('Authentication failed.')
const ids = (users: ReadonlyArray<Record<string, string>>): number[] => users.map((u) => Number(u.UserID))

describe.each(VERSIONS)('authentication and authority over SOAP %s', (version) => {
  const wrong: Array<[string, () => XRecord]> = [
    ['a wrong password', () => ({ sPassword: 'nope' })],
    ['the password in another case', () => ({ sPassword: admin.password.toUpperCase() })],
    ['an empty password', () => ({ sPassword: '' })],
    ['no password', () => ({ sPassword: undefined })],
    ['a nil password', () => ({ sPassword: null })],
    ['a wrong API key', () => ({ sAPIKey: '0'.repeat(32) })],
    ['no API key', () => ({ sAPIKey: undefined })],
    ['an empty API key', () => ({ sAPIKey: '' })],
    ['an unknown username', () => ({ sUsername: 'nobody-here' })],
    ['an empty username', () => ({ sUsername: '' })],
    ['no username', () => ({ sUsername: undefined })],
  ]
  test.each(wrong)('%s: "Authentication failed." and nothing changes', async (_name, override) => {
    const answer = await lm.call(version, 'UserUpdate', {
      ...credentials(admin),
      ...override(),
      User: { UserID: String(recruiter.userId), FirstName: 'Hacked' },
    })
    expect(answer.status).toBe(500)
    expect(answer.fault).toEqual({ code: SERVER_CODE[version], reason: AUTH_FAILED })
    expect((await lm.read(admin, recruiter.userId)).FirstName).toBe('')
  })

  test('every operation checks the credentials', async () => {
    for (const op of ['UserList', 'UserUpdate', 'UserAdd', 'UserDelete']) {
      const answer = await lm.call(version, op, { ...credentials(admin), sPassword: 'nope', User: { UserID: String(recruiter.userId) } })
      expect(answer.fault?.reason, op).toBe(AUTH_FAILED)
    }
    expect(await lm.read(admin, recruiter.userId)).toBeDefined()
  })

  test('the username is case-insensitive; sCultureID is accepted whatever it is', async () => {
    for (const sCultureID of ['en', '', 'xx-YY', undefined, null]) {
      const answer = await lm.call(version, 'UserList', { ...credentials(admin), sUsername: admin.username.toUpperCase(), sCultureID })
      expect(answer.users?.length, String(sCultureID)).toBeGreaterThan(0)
    }
  })

  test('a Recruiter with good credentials is "Access denied." on every operation', async () => {
    for (const op of ['UserList', 'UserUpdate', 'UserAdd', 'UserDelete']) {
      const answer = await lm.call(version, op, { ...credentials(recruiter), User: { UserID: String(recruiter.userId) } })
      expect(answer.fault, op).toEqual({ code: SERVER_CODE[version], reason: processFault('Access denied.') })
    }
  })

  test("a child organisation's Administrator signs in with the top-level API key", async () => {
    const answer = await lm.call(version, 'UserList', credentials(childAdmin))
    expect(ids(answer.users ?? [])).toEqual([childAdmin.userId, childRecruiter.userId])
  })
})

describe('UserList', () => {
  test("without filters: every user of the caller's tree, by UserID; never another tree's", async () => {
    expect(ids(await lm.list(admin))).toEqual([admin.userId, recruiter.userId, childAdmin.userId, childRecruiter.userId])
    expect(ids(await lm.list(otherAdmin))).toEqual([otherAdmin.userId, otherUser.userId])
  })

  test('sStartOrganisation: a numeric OrganisationID or an OrganisationIdentifier (any case) in the tree', async () => {
    expect(ids(await lm.list(admin, { sStartOrganisation: String(childAdmin.organisationId) }))).toEqual([childAdmin.userId, childRecruiter.userId])
    expect(ids(await lm.list(admin, { sStartOrganisation: childAdmin.organisationIdentifier.toUpperCase() }))).toEqual([
      childAdmin.userId,
      childRecruiter.userId,
    ])
    expect(ids(await lm.list(admin, { sStartOrganisation: '' }))).toHaveLength(4)
    expect(ids(await lm.list(admin, { sStartOrganisation: null }))).toHaveLength(4)
  })

  test('a start organisation outside the tree or unknown is "Organisation not found."', async () => {
    for (const [caller, start] of [
      [admin, String(otherAdmin.organisationId)],
      [admin, otherAdmin.organisationIdentifier],
      [childAdmin, String(admin.organisationId)],
      [admin, '999999'],
      [admin, 'org-nope'],
    ] as const) {
      const answer = await lm.call('1.1', 'UserList', { ...credentials(caller), sStartOrganisation: start })
      expect(answer.fault?.reason, start).toBe(processFault('Organisation not found.'))
    }
  })

  test('sUserIdentifier: a numeric UserID or a UserIdentifier (any case); zero or one user', async () => {
    expect(ids(await lm.list(admin, { sUserIdentifier: String(childRecruiter.userId) }))).toEqual([childRecruiter.userId])
    expect(ids(await lm.list(admin, { sUserIdentifier: 'rec-IDENT-1' }))).toEqual([recruiter.userId])
    expect(await lm.list(admin, { sUserIdentifier: '999999' })).toEqual([])
    expect(await lm.list(admin, { sUserIdentifier: 'nobody' })).toEqual([])
  })

  test("users outside the tree, or outside the start organisation's subtree, are never listed", async () => {
    expect(await lm.list(admin, { sUserIdentifier: String(otherUser.userId) })).toEqual([])
    expect(await lm.list(admin, { sUserIdentifier: otherUser.userIdentifier })).toEqual([])
    expect(await lm.list(childAdmin, { sUserIdentifier: String(recruiter.userId) })).toEqual([])
    expect(await lm.list(admin, { sStartOrganisation: String(childAdmin.organisationId), sUserIdentifier: String(recruiter.userId) })).toEqual([])
  })

  test('one UserIdentifier in two trees: each administrator finds their own; any case, beyond ASCII too', async () => {
    const added = await lm.call('1.1', 'UserAdd', {
      ...credentials(otherAdmin),
      sParentOrganisationIdentifier: String(otherAdmin.organisationId),
      User: { Username: 'twin-ident', Password: 'Secret-1', UserIdentifier: 'REC-ident-1' },
    })
    const twin = Number(added.user?.UserID)
    expect(ids(await lm.list(admin, { sUserIdentifier: 'rec-ident-1' }))).toEqual([recruiter.userId])
    expect(ids(await lm.list(otherAdmin, { sUserIdentifier: 'Rec-Ident-1' }))).toEqual([twin])
    const umlaut = await lm.call('1.1', 'UserAdd', {
      ...credentials(otherAdmin),
      sParentOrganisationIdentifier: String(otherAdmin.organisationId),
      User: { Username: 'umlaut-ident', Password: 'Secret-1', UserIdentifier: 'Ärzte-1' },
    })
    expect(ids(await lm.list(otherAdmin, { sUserIdentifier: 'äRZTE-1' }))).toEqual([Number(umlaut.user?.UserID)])
  })

  test('every CUser has an empty Password', async () => {
    for (const user of await lm.list(admin)) expect(user.Password).toBe('')
  })
})

describe('UserAdd', () => {
  const add = (caller: LmFixture, parent: string | undefined, user: XRecord | undefined) =>
    lm.call('1.1', 'UserAdd', { ...credentials(caller), sParentOrganisationIdentifier: parent, User: user })

  test('creates the user under a numeric parent; generates a UserIdentifier; answers it with an empty Password', async () => {
    const answer = await add(admin, String(childAdmin.organisationId), {
      Username: 'added-one',
      Password: 'Secret-1',
      FirstName: 'Ada',
      BBDExpiringEmail: 'true',
      UserID: '5',
      OrganisationID: '1',
    })
    expect(answer.status).toBe(200)
    const user = answer.user ?? {}
    expect(user).toMatchObject({
      Username: 'added-one',
      FirstName: 'Ada',
      OrganisationID: String(childAdmin.organisationId),
      UserRoleID: '2',
      Password: '',
      BBDExpiringEmail: 'true',
      BBDExpiredEmail: 'false',
      LastName: '',
    })
    expect(Number(user.UserID)).toBeGreaterThan(childRecruiter.userId)
    expect(user.UserIdentifier).toMatch(/^usr-[0-9a-f]{8}$/)
    expect(await lm.read(admin, Number(user.UserID))).toEqual(user)
  })

  test('the parent may be an OrganisationIdentifier; a given UserIdentifier is kept; UserRoleID 1 makes an Administrator who can sign in', async () => {
    const answer = await add(admin, admin.organisationIdentifier, { Username: 'added-admin', Password: 'Secret-2', UserIdentifier: 'ext-42', UserRoleID: '1' })
    expect(answer.user).toMatchObject({ OrganisationID: String(admin.organisationId), UserIdentifier: 'ext-42', UserRoleID: '1' })
    const signedIn = await lm.list({ apiKey: admin.apiKey, username: 'ADDED-ADMIN', password: 'Secret-2' } as LmFixture)
    expect(signedIn.length).toBeGreaterThan(0)
  })

  test('UserRoleID: anything but 1 is 2', async () => {
    for (const [name, role] of [
      ['role-seven', '7'],
      ['role-zero', '0'],
      ['role-none', undefined],
      ['role-two', '2'],
    ] as const) {
      expect((await add(admin, String(admin.organisationId), { Username: name, UserRoleID: role })).user?.UserRoleID, name).toBe('2')
    }
  })

  test('a parent outside the tree, unknown, empty or left out is "Organisation not found."', async () => {
    for (const parent of [String(otherAdmin.organisationId), 'org-zzzzzz', '', undefined]) {
      expect((await add(admin, parent, { Username: 'never-made' })).fault?.reason, String(parent)).toBe(processFault('Organisation not found.'))
    }
    expect((await add(childAdmin, String(admin.organisationId), { Username: 'never-made' })).fault?.reason).toBe(processFault('Organisation not found.'))
  })

  test('a Username taken (in any case, in any tree), empty or left out is "Username already exists."', async () => {
    for (const username of [otherUser.username.toUpperCase(), admin.username, '', undefined]) {
      expect((await add(admin, String(admin.organisationId), { Username: username })).fault?.reason, String(username)).toBe(
        processFault('Username already exists.'),
      )
    }
  })

  test('a User left out is a NullReferenceException', async () => {
    expect((await add(admin, String(admin.organisationId), undefined)).fault?.reason).toBe(
      processFault('Object reference not set to an instance of an object.'),
    )
  })
})

describe('UserDelete', () => {
  const del = (caller: LmFixture, user: XRecord | undefined) => lm.call('1.1', 'UserDelete', { ...credentials(caller), User: user })

  test('a user in the tree: true, and gone', async () => {
    const victim = await lm.provision({ role: 'Recruiter', group: admin.group, placement: 'other-organisation' })
    expect((await del(admin, { UserID: String(victim.userId), Username: 'ignored' })).text).toBe('true')
    expect(await lm.list(admin, { sUserIdentifier: String(victim.userId) })).toEqual([])
    expect((await del(admin, { UserID: String(victim.userId) })).text).toBe('false')
  })

  test('unknown, outside the tree, 0 or nil: false, and nothing is deleted', async () => {
    expect((await del(admin, { UserID: '999999' })).text).toBe('false')
    expect((await del(admin, { UserID: String(otherUser.userId) })).text).toBe('false')
    expect((await del(childAdmin, { UserID: String(recruiter.userId) })).text).toBe('false')
    expect((await del(admin, { UserID: '0' })).text).toBe('false')
    expect((await del(admin, { UserID: null })).text).toBe('false')
    expect(ids(await lm.list(otherAdmin))).toContain(otherUser.userId)
    expect(ids(await lm.list(admin))).toContain(recruiter.userId)
  })

  test('a User left out is a NullReferenceException', async () => {
    expect((await del(admin, undefined)).fault?.reason).toBe(processFault('Object reference not set to an instance of an object.'))
  })
})

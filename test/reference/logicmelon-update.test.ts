import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startClient, type RefClient } from './helpers.ts'
import {
  FLAGS,
  LmClient,
  SERVER_CODE,
  UPDATEABLE_TEXT,
  VERSIONS,
  credentials,
  processFault,
  profile,
  type CUser,
  type LmFixture,
  type XRecord,
} from './logicmelon-helpers.ts'

let c: RefClient
let lm: LmClient
let admin: LmFixture
let otherAdmin: LmFixture
let childOrganisationId: number
beforeAll(async () => {
  c = await startClient()
  lm = new LmClient(c)
  admin = await lm.provision({ role: 'Administrator' })
  childOrganisationId = (await lm.provision({ role: 'Recruiter', group: admin.group, placement: 'other-organisation' })).organisationId
  otherAdmin = await lm.provision({ role: 'Administrator' })
})
afterAll(async () => {
  await c.ref.close()
})

/** A fresh Administrator in the admin's organisation, with a distinct value in every updateable string. */
async function freshTarget(tag: string): Promise<{ fixture: LmFixture; before: CUser }> {
  const fixture = await lm.provision({ role: 'Administrator', group: admin.group, ...profile(tag) })
  return { fixture, before: await lm.read(admin, fixture.userId) }
}

const only = (user: CUser, names: readonly string[]): CUser => Object.fromEntries(names.map((n) => [n, user[n] ?? '']))
const each = (names: readonly string[], value: (name: string) => string | null): XRecord => Object.fromEntries(names.map((n) => [n, value(n)]))
const canSignIn = async (user: Pick<LmFixture, 'apiKey' | 'username'>, password: string): Promise<boolean> =>
  (await lm.call('1.1', 'UserList', credentials({ ...user, password }))).users !== undefined

describe.each(VERSIONS)('UserUpdate field rules over SOAP %s', (version) => {
  test('updateable strings are stored exactly as submitted; the answer and a later UserList agree', async () => {
    const { fixture, before } = await freshTarget(`set-${version}`)
    const submitted = each(UPDATEABLE_TEXT, (f) => ` new ${f} & <x> `)
    const answer = await lm.update(version, admin, { UserID: String(fixture.userId), ...submitted })
    expect(answer.status).toBe(200)
    expect(only(answer.user ?? {}, UPDATEABLE_TEXT)).toEqual(submitted)
    const after = await lm.read(admin, fixture.userId)
    expect(after).toEqual(answer.user)
    expect({ ...after, ...only(before, UPDATEABLE_TEXT) }).toEqual(before)
  })

  test('"" clears every updateable string', async () => {
    const { fixture } = await freshTarget(`clear-${version}`)
    const answer = await lm.update(version, admin, { UserID: String(fixture.userId), ...each(UPDATEABLE_TEXT, () => '') })
    expect(only(answer.user ?? {}, UPDATEABLE_TEXT)).toEqual(each(UPDATEABLE_TEXT, () => ''))
    expect(await lm.read(admin, fixture.userId)).toEqual(answer.user)
  })

  test('a field left out, or nil, is unchanged (every field)', async () => {
    const { fixture, before } = await freshTarget(`keep-${version}`)
    expect((await lm.update(version, admin, { UserID: String(fixture.userId) })).user).toEqual(before)
    const nils = each([...UPDATEABLE_TEXT, ...FLAGS, 'OrganisationID', 'UserIdentifier', 'Username', 'Password', 'UserRoleID'], () => null)
    expect((await lm.update(version, admin, { UserID: String(fixture.userId), ...nils })).user).toEqual(before)
    expect(await lm.read(admin, fixture.userId)).toEqual(before)
    expect(await canSignIn(fixture, fixture.password)).toBe(true)
  })

  test('the seven flags are set as submitted', async () => {
    const { fixture } = await freshTarget(`flags-${version}`)
    const on = await lm.update(version, admin, { UserID: String(fixture.userId), ...each(FLAGS, () => 'true') })
    expect(only(on.user ?? {}, FLAGS)).toEqual(each(FLAGS, () => 'true'))
    const mixed = await lm.update(version, admin, { UserID: String(fixture.userId), BBDCopySentMessages: '0', DailyNewCandidatesEmail: 'false' })
    expect(only(mixed.user ?? {}, FLAGS)).toEqual({ ...each(FLAGS, () => 'true'), BBDCopySentMessages: 'false', DailyNewCandidatesEmail: 'false' })
    expect(await lm.read(admin, fixture.userId)).toEqual(mixed.user)
  })

  test('UserIdentifier, Username and UserRoleID are ignored', async () => {
    const { fixture, before } = await freshTarget(`identity-${version}`)
    const answer = await lm.update(version, admin, {
      UserID: String(fixture.userId),
      UserIdentifier: 'changed-ident',
      Username: `changed-${fixture.username}`,
      UserRoleID: '2',
      FirstName: 'Changed',
    })
    expect(answer.user).toEqual({ ...before, FirstName: 'Changed' })
    expect(await lm.read(admin, fixture.userId)).toEqual({ ...before, FirstName: 'Changed' })
  })

  test('the stored OrganisationID is fine; another is refused and nothing changes', async () => {
    const { fixture, before } = await freshTarget(`move-${version}`)
    const same = await lm.update(version, admin, { UserID: String(fixture.userId), OrganisationID: String(fixture.organisationId), Phone: 'same-org' })
    expect(same.user?.Phone).toBe('same-org')
    for (const to of [String(childOrganisationId), String(otherAdmin.organisationId), '0', '999999']) {
      const moved = await lm.update(version, admin, {
        UserID: String(fixture.userId),
        OrganisationID: to,
        FirstName: 'Moved',
        BBDExpiredEmail: 'true',
        Password: 'New-pw',
      })
      expect(moved.status).toBe(500)
      expect(moved.fault, to).toEqual({ code: SERVER_CODE[version], reason: processFault('You are not able to move users using this function.') })
    }
    expect(await lm.read(admin, fixture.userId)).toEqual({ ...before, Phone: 'same-org' })
    expect(await canSignIn(fixture, fixture.password)).toBe(true)
  })

  test('Password: a non-empty value sets it; "", nil or left out leave it', async () => {
    const { fixture } = await freshTarget(`password-${version}`)
    for (const keep of [{ Password: '' }, { Password: null }, {}]) {
      const answer = await lm.update(version, admin, { UserID: String(fixture.userId), ...keep })
      expect(answer.user?.Password).toBe('')
      expect(await canSignIn(fixture, fixture.password)).toBe(true)
    }
    const answer = await lm.update(version, admin, { UserID: String(fixture.userId), Password: 'Brand-new-1' })
    expect(answer.user?.Password).toBe('')
    expect(await canSignIn(fixture, 'Brand-new-1')).toBe(true)
    expect(await canSignIn(fixture, fixture.password)).toBe(false)
  })

  test('round trip: a user read with UserList and submitted back unmodified changes nothing', async () => {
    const { fixture, before } = await freshTarget(`trip-${version}`)
    const answer = await lm.update(version, admin, before)
    expect(answer.user).toEqual(before)
    expect(await lm.read(admin, fixture.userId)).toEqual(before)
    expect(await canSignIn(fixture, fixture.password)).toBe(true)
  })

  test('UserID nil, left out, 0, unknown or outside the tree is "User not found."', async () => {
    const stranger = await lm.provision({ role: 'Recruiter', group: otherAdmin.group })
    for (const user of [{ UserID: null }, {}, { UserID: '0' }, { UserID: '999999' }, { UserID: String(stranger.userId) }] as XRecord[]) {
      const answer = await lm.update(version, admin, { ...user, FirstName: 'Nope' })
      expect(answer.fault).toEqual({ code: SERVER_CODE[version], reason: processFault('User not found.') })
    }
    expect((await lm.read(otherAdmin, stranger.userId)).FirstName).toBe('')
  })
})

test('an Administrator in a child organisation cannot update a user of the parent organisation', async () => {
  const childAdmin = await lm.provision({ role: 'Administrator', group: admin.group, placement: 'other-organisation' })
  const { fixture } = await freshTarget('child-scope')
  expect((await lm.update('1.1', childAdmin, { UserID: String(fixture.userId), FirstName: 'x' })).fault?.reason).toBe(processFault('User not found.'))
  expect((await lm.update('1.1', admin, { UserID: String(childAdmin.userId), FirstName: 'ok' })).user?.FirstName).toBe('ok')
})

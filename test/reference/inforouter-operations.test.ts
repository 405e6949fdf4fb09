import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { AUTH_FAILED, BINDINGS, TICKET_INVALID, startClient, type Binding, type RefClient } from './helpers.ts'

let c: RefClient
beforeAll(async () => {
  c = await startClient()
})
afterAll(async () => {
  await c.ref.close()
})

const EXPECTED_CONTENT_TYPE: Record<Binding, string> = {
  'http-get': 'text/xml; charset=utf-8',
  'http-post': 'text/xml; charset=utf-8',
  soap11: 'text/xml; charset=utf-8',
  soap12: 'application/soap+xml; charset=utf-8',
}

describe.each(BINDINGS)('infoRouter over %s', (binding) => {
  test('AuthenticateUser answers <root> with a lower-case GUID ticket and the user; the name is case-insensitive', async () => {
    const jane = await c.provision({ firstName: 'Jane', lastName: 'Doe' })
    const answer = await c.call(binding, 'AuthenticateUser', { UID: jane.userName.toUpperCase(), PWD: jane.password })
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe(EXPECTED_CONTENT_TYPE[binding])
    expect(answer.headers['cache-control']).toBe('private, max-age=0')
    expect(answer.element).toBe('root')
    expect(answer.attrs).toMatchObject({
      success: 'true',
      userid: String(jane.userId),
      username: jane.userName,
      firstName: 'Jane',
      lastName: 'Doe',
      fullname: 'Jane Doe',
      email: jane.email,
      isAuthenticated: 'True',
    })
    expect(answer.attrs.ticket).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(answer.attrs.expireOn).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    const expires = Date.parse(answer.attrs.expireOn ?? '')
    expect(Math.abs(expires - Date.now() - 30 * 24 * 3600 * 1000)).toBeLessThan(60_000)
  })

  test('AuthenticateUser with a wrong password or an unknown user answers [900]', async () => {
    const jane = await c.provision()
    for (const params of [
      { UID: jane.userName, PWD: 'wrong' },
      { UID: 'nobody-here', PWD: 'x' },
      { UID: '', PWD: '' },
    ]) {
      const answer = await c.call(binding, 'AuthenticateUser', params)
      expect(answer.status).toBe(200)
      expect(answer.element).toBe('root')
      expect(answer.attrs).toEqual({ success: 'false', error: AUTH_FAILED })
    }
  })

  test('GetUser reads any user, the caller when UserName is empty, and answers User not found', async () => {
    const jane = await c.provision({ mobileNumber: '+44 20 7946 0000' })
    const bob = await c.provision()
    const ticket = await c.login(jane, binding)

    const other = await c.call(binding, 'GetUser', { authenticationTicket: ticket, UserName: bob.userName.toUpperCase() })
    expect(other.attrs).toEqual({ success: 'true', error: '' })
    expect(other.user).toMatchObject({
      exists: 'true',
      UserID: String(bob.userId),
      UserName: bob.userName,
      Email: bob.email,
      MobileNumber: bob.mobileNumber,
      Enabled: 'TRUE',
      Domain: '',
      AuthenticationAuthority: 'native',
      ReadOnlyUser: 'FALSE',
    })
    expect(other.user?.LastPasswordChangeDate).toMatch(/^\d{4}-\d\d-\d\d$/)
    expect(other.user?.LastLogonDate).toBe('')

    const self = await c.call(binding, 'GetUser', { authenticationTicket: ticket, UserName: '' })
    expect(self.user).toMatchObject({ UserName: jane.userName, MobileNumber: '+44 20 7946 0000' })
    expect(self.user?.LastLogonDate).toMatch(/^\d{4}-\d\d-\d\d$/)

    const unknown = await c.call(binding, 'GetUser', { authenticationTicket: ticket, UserName: 'no-such-user' })
    expect(unknown.attrs).toEqual({ success: 'false', error: 'User not found' })
  })

  test('UpdateUserEmail: self update is stored verbatim and touches nothing else; same address is a no-op success', async () => {
    const jane = await c.provision()
    const ticket = await c.login(jane, binding)
    const before = await c.readUser(ticket, jane.userName)
    const weird = `O'Brien & "Sons" <x>+tag@example.com`
    const answer = await c.call(binding, 'UpdateUserEmail', { authenticationTicket: ticket, UserName: jane.userName, NewEmailAddress: weird })
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe(EXPECTED_CONTENT_TYPE[binding])
    expect(answer.element).toBe('response')
    expect(answer.attrs).toEqual({ success: 'true', error: '' })
    const after = await c.readUser(ticket, jane.userName)
    expect(after).toEqual({ ...before, Email: weird })

    const noop = await c.call(binding, 'UpdateUserEmail', { authenticationTicket: ticket, UserName: jane.userName, NewEmailAddress: weird })
    expect(noop.attrs).toEqual({ success: 'true', error: '' })
    expect(await c.readUser(ticket, jane.userName)).toEqual(after)
  })

  test('UpdateUserEmail: a member cannot change someone else (Access denied, nothing changes); a sysadmin can', async () => {
    const jane = await c.provision()
    const bob = await c.provision()
    const admin = await c.provision({ role: 'sysadmin' })
    const janeTicket = await c.login(jane, binding)
    const denied = await c.call(binding, 'UpdateUserEmail', { authenticationTicket: janeTicket, UserName: bob.userName, NewEmailAddress: 'x@y.z' })
    expect(denied.attrs).toEqual({ success: 'false', error: 'Access denied' })
    expect((await c.readUser(janeTicket, bob.userName)).Email).toBe(bob.email)

    const adminTicket = await c.login(admin, binding)
    const ok = await c.call(binding, 'UpdateUserEmail', { authenticationTicket: adminTicket, UserName: bob.userName, NewEmailAddress: 'new@bob.test' })
    expect(ok.attrs).toEqual({ success: 'true', error: '' })
    expect((await c.readUser(adminTicket, bob.userName)).Email).toBe('new@bob.test')
  })

  test('UpdateUserEmail: an unknown or empty user name answers User not found', async () => {
    const admin = await c.provision({ role: 'sysadmin' })
    const ticket = await c.login(admin, binding)
    for (const UserName of ['no-such-user', '']) {
      const answer = await c.call(binding, 'UpdateUserEmail', { authenticationTicket: ticket, UserName, NewEmailAddress: 'a@b.c' })
      expect(answer.attrs).toEqual({ success: 'false', error: 'User not found' })
    }
  })

  test('UpdateUserContactInfo updates both fields, stores the mobile verbatim, "" clears, the same values keep them', async () => {
    const jane = await c.provision()
    const ticket = await c.login(jane, binding)
    const before = await c.readUser(ticket, jane.userName)
    const both = await c.call(binding, 'UpdateUserContactInfo', {
      authenticationTicket: ticket,
      userName: jane.userName,
      emailAddress: 'jane@new.test',
      mobileNumber: '+1 (555) 123-4567',
    })
    expect(both.attrs).toEqual({ success: 'true', error: '' })
    const after = await c.readUser(ticket, jane.userName)
    expect(after).toEqual({ ...before, Email: 'jane@new.test', MobileNumber: '+1 (555) 123-4567' })

    const same = await c.call(binding, 'UpdateUserContactInfo', {
      authenticationTicket: ticket,
      userName: jane.userName,
      emailAddress: 'jane@new.test',
      mobileNumber: '+1 (555) 123-4567',
    })
    expect(same.attrs.success).toBe('true')
    expect(await c.readUser(ticket, jane.userName)).toEqual(after)

    const clearMobile = await c.call(binding, 'UpdateUserContactInfo', {
      authenticationTicket: ticket,
      userName: jane.userName,
      emailAddress: 'jane@new.test',
      mobileNumber: '',
    })
    expect(clearMobile.attrs.success).toBe('true')
    expect(await c.readUser(ticket, jane.userName)).toMatchObject({ Email: 'jane@new.test', MobileNumber: '' })

    await c.call(binding, 'UpdateUserContactInfo', { authenticationTicket: ticket, userName: jane.userName, emailAddress: '', mobileNumber: '' })
    expect(await c.readUser(ticket, jane.userName)).toMatchObject({ Email: '', MobileNumber: '' })
  })

  test('UpdateUserContactInfo: Access denied changes neither field; a sysadmin may update anyone; unknown user', async () => {
    const jane = await c.provision()
    const bob = await c.provision()
    const admin = await c.provision({ role: 'sysadmin' })
    const janeTicket = await c.login(jane, binding)
    const denied = await c.call(binding, 'UpdateUserContactInfo', {
      authenticationTicket: janeTicket,
      userName: bob.userName,
      emailAddress: 'evil@x.test',
      mobileNumber: '000',
    })
    expect(denied.attrs).toEqual({ success: 'false', error: 'Access denied' })
    expect(await c.readUser(janeTicket, bob.userName)).toMatchObject({ Email: bob.email, MobileNumber: bob.mobileNumber })

    const adminTicket = await c.login(admin, binding)
    const ok = await c.call(binding, 'UpdateUserContactInfo', {
      authenticationTicket: adminTicket,
      userName: bob.userName,
      emailAddress: 'bob@admin.test',
      mobileNumber: '999',
    })
    expect(ok.attrs.success).toBe('true')
    expect(await c.readUser(adminTicket, bob.userName)).toMatchObject({ Email: 'bob@admin.test', MobileNumber: '999' })

    const unknown = await c.call(binding, 'UpdateUserContactInfo', {
      authenticationTicket: adminTicket,
      userName: 'no-such-user',
      emailAddress: 'a',
      mobileNumber: 'b',
    })
    expect(unknown.attrs).toEqual({ success: 'false', error: 'User not found' })
  })

  test('a missing, empty or non-GUID ticket answers [900]; an unknown GUID answers [901], before any user check', async () => {
    const jane = await c.provision()
    const cases: Array<[string, string]> = [
      ['', AUTH_FAILED],
      ['not-a-guid', AUTH_FAILED],
      ['{3f2504e0-4f89-11d3-9a0c-0305e82c3301}', AUTH_FAILED],
      ['3f2504e0-4f89-11d3-9a0c-0305e82c3301', TICKET_INVALID],
    ]
    for (const [ticket, error] of cases) {
      const calls = [
        c.call(binding, 'GetUser', { authenticationTicket: ticket, UserName: jane.userName }),
        c.call(binding, 'UpdateUserEmail', { authenticationTicket: ticket, UserName: 'no-such-user', NewEmailAddress: 'a@b.c' }),
        c.call(binding, 'UpdateUserContactInfo', { authenticationTicket: ticket, userName: jane.userName, emailAddress: 'a', mobileNumber: 'b' }),
      ]
      for (const answer of await Promise.all(calls)) {
        expect(answer.status).toBe(200)
        expect(answer.attrs).toEqual({ success: 'false', error })
      }
    }
    const upperCase = await c.login(jane, binding)
    const read = await c.call(binding, 'GetUser', { authenticationTicket: upperCase.toUpperCase(), UserName: '' })
    expect(read.attrs.success).toBe('true')
  })

  test('LogOut ends the ticket: later calls answer [901]; LogOut again answers [901]; a non-GUID answers [900]', async () => {
    const jane = await c.provision()
    const ticket = await c.login(jane, binding)
    const out = await c.call(binding, 'LogOut', { AuthenticationTicket: ticket })
    expect(out.element).toBe('root')
    expect(out.attrs).toEqual({ success: 'true' })
    const after = await c.call(binding, 'UpdateUserEmail', { authenticationTicket: ticket, UserName: jane.userName, NewEmailAddress: 'a@b.c' })
    expect(after.attrs).toEqual({ success: 'false', error: TICKET_INVALID })
    const again = await c.call(binding, 'LogOut', { AuthenticationTicket: ticket })
    expect(again.attrs).toEqual({ success: 'false', error: TICKET_INVALID })
    const bad = await c.call(binding, 'LogOut', { AuthenticationTicket: 'nope' })
    expect(bad.attrs).toEqual({ success: 'false', error: AUTH_FAILED })
  })
})

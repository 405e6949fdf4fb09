import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { AUTH_FAILED, DAY_MS, FORM_BINDINGS, SOAP_BINDINGS, TICKET_INVALID, startClient, type RefClient } from './helpers.ts'

let c: RefClient
beforeAll(async () => {
  c = await startClient()
})
afterAll(async () => {
  await c.ref.close()
})

describe.each(SOAP_BINDINGS)('nil and left-out elements over %s', (binding) => {
  test('UpdateUserContactInfo: nil or a left-out element keeps the value; "" clears; the other field still changes', async () => {
    const jane = await c.provision()
    const ticket = await c.login(jane)
    await c.call(binding, 'UpdateUserContactInfo', { authenticationTicket: ticket, userName: jane.userName, emailAddress: 'e1@x.test', mobileNumber: null })
    expect(await c.readUser(ticket, jane.userName)).toMatchObject({ Email: 'e1@x.test', MobileNumber: jane.mobileNumber })
    await c.call(binding, 'UpdateUserContactInfo', { authenticationTicket: ticket, userName: jane.userName, emailAddress: undefined, mobileNumber: '42' })
    expect(await c.readUser(ticket, jane.userName)).toMatchObject({ Email: 'e1@x.test', MobileNumber: '42' })
    await c.call(binding, 'UpdateUserContactInfo', { authenticationTicket: ticket, userName: jane.userName, emailAddress: null, mobileNumber: undefined })
    expect(await c.readUser(ticket, jane.userName)).toMatchObject({ Email: 'e1@x.test', MobileNumber: '42' })
    await c.call(binding, 'UpdateUserContactInfo', { authenticationTicket: ticket, userName: jane.userName, emailAddress: '', mobileNumber: null })
    expect(await c.readUser(ticket, jane.userName)).toMatchObject({ Email: '', MobileNumber: '42' })
  })

  test('UpdateUserEmail: nil or left-out NewEmailAddress changes nothing and succeeds', async () => {
    const jane = await c.provision()
    const ticket = await c.login(jane)
    for (const NewEmailAddress of [null, undefined]) {
      const answer = await c.call(binding, 'UpdateUserEmail', { authenticationTicket: ticket, UserName: jane.userName, NewEmailAddress })
      expect(answer.attrs).toEqual({ success: 'true', error: '' })
    }
    expect((await c.readUser(ticket, jane.userName)).Email).toBe(jane.email)
  })

  test('a nil or left-out ticket answers [900]; a nil UserName in an update answers User not found; in GetUser it reads the caller', async () => {
    const jane = await c.provision()
    const ticket = await c.login(jane)
    for (const authenticationTicket of [null, undefined]) {
      const answer = await c.call(binding, 'UpdateUserEmail', { authenticationTicket, UserName: jane.userName, NewEmailAddress: 'a@b.c' })
      expect(answer.attrs).toEqual({ success: 'false', error: AUTH_FAILED })
    }
    const nilName = await c.call(binding, 'UpdateUserContactInfo', { authenticationTicket: ticket, userName: null, emailAddress: 'a', mobileNumber: 'b' })
    expect(nilName.attrs).toEqual({ success: 'false', error: 'User not found' })
    const self = await c.call(binding, 'GetUser', { authenticationTicket: ticket, UserName: null })
    expect(self.user?.UserName).toBe(jane.userName)
    const logout = await c.call(binding, 'LogOut', {})
    expect(logout.attrs).toEqual({ success: 'false', error: AUTH_FAILED })
  })

  test('parameter elements are matched exactly: another case or namespace is not the parameter', async () => {
    const jane = await c.provision()
    const ticket = await c.login(jane)
    const answer = await c.call(binding, 'UpdateUserEmail', { AuthenticationTicket: ticket, UserName: jane.userName, NewEmailAddress: 'a@b.c' })
    expect(answer.attrs).toEqual({ success: 'false', error: AUTH_FAILED })
  })
})

describe.each(FORM_BINDINGS)('parameters over %s', (binding) => {
  test('a parameter left out is HTTP 500 text/plain "Missing parameter: X." and nothing changes', async () => {
    const jane = await c.provision()
    const ticket = await c.login(jane)
    const missing = await c.send(binding, 'UpdateUserContactInfo', { authenticationTicket: ticket, userName: jane.userName, emailAddress: 'new@x.test' })
    expect(missing.status).toBe(500)
    expect(missing.contentType).toBe('text/plain; charset=utf-8')
    expect(missing.body).toBe('Missing parameter: mobileNumber.')
    expect(await c.readUser(ticket, jane.userName)).toMatchObject({ Email: jane.email, MobileNumber: jane.mobileNumber })

    const first = await c.send(binding, 'UpdateUserEmail', {})
    expect(first.body).toBe('Missing parameter: authenticationTicket.')
    const logout = await c.send(binding, 'LogOut', {})
    expect(logout.body).toBe('Missing parameter: AuthenticationTicket.')
  })

  test('parameter names are case-insensitive; a present but empty value is ""', async () => {
    const jane = await c.provision()
    const ticket = await c.login(jane)
    const answer = await c.call(binding, 'UpdateUserContactInfo', {
      AUTHENTICATIONTICKET: ticket,
      UserName: jane.userName,
      EmailAddress: 'mixed@case.test',
      MOBILENUMBER: '',
    })
    expect(answer.attrs).toEqual({ success: 'true', error: '' })
    expect(await c.readUser(ticket, jane.userName)).toMatchObject({ Email: 'mixed@case.test', MobileNumber: '' })
  })

  test('ASP.NET decoding: %40 → @, %2B → +, a raw + is a space, %uXXXX and UTF-8 are decoded', async () => {
    const jane = await c.provision()
    const ticket = await c.login(jane)
    const query = `authenticationTicket=${ticket}&userName=${jane.userName}&emailAddress=j%C3%BCrgen%40example.com&mobileNumber=%2B1+555%u0021`
    const answer =
      binding === 'http-get'
        ? await c.raw('GET', `/srv.asmx/UpdateUserContactInfo?${query}`)
        : await c.raw('POST', '/srv.asmx/UpdateUserContactInfo', {
            headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
            body: query,
          })
    expect(answer.status).toBe(200)
    expect(await c.readUser(ticket, jane.userName)).toMatchObject({ Email: 'jürgen@example.com', MobileNumber: '+1 555!' })
  })
})

describe('ticket lifetime (30-day sliding expiration, control clock)', () => {
  test('a ticket unused for 30 days answers [901]; each successful call restarts the 30 days', async () => {
    const r = await startClient()
    try {
      const jane = await r.provision()
      const ticket = await r.login(jane)
      await r.advanceClock(29 * DAY_MS)
      expect((await r.call('soap11', 'GetUser', { authenticationTicket: ticket, UserName: '' })).attrs.success).toBe('true')
      await r.advanceClock(29 * DAY_MS)
      expect((await r.call('http-post', 'GetUser', { authenticationTicket: ticket, UserName: '' })).attrs.success).toBe('true')
      await r.advanceClock(30 * DAY_MS)
      const expired = await r.call('http-get', 'UpdateUserEmail', { authenticationTicket: ticket, UserName: jane.userName, NewEmailAddress: 'x@y.z' })
      expect(expired.attrs).toEqual({ success: 'false', error: TICKET_INVALID })
      expect((await r.call('soap12', 'LogOut', { AuthenticationTicket: ticket })).attrs.error).toBe(TICKET_INVALID)
      expect(await r.readUser(await r.login(jane), jane.userName)).toMatchObject({ Email: jane.email })
    } finally {
      await r.ref.close()
    }
  })

  test('an injected clock sets expireOn; deleting a user kills their tickets', async () => {
    const r = await startClient({ now: () => new Date('2026-02-18T14:35:00.123Z') })
    try {
      const jane = await r.provision()
      const login = await r.call('http-get', 'AuthenticateUser', { UID: jane.userName, PWD: jane.password })
      expect(login.attrs.expireOn).toBe('2026-03-20T14:35:00Z')
      const ticket = login.attrs.ticket ?? ''
      expect((await r.control('DELETE', `/__reference/inforouter/users/${jane.userName}`)).status).toBe(204)
      expect((await r.call('http-get', 'GetUser', { authenticationTicket: ticket, UserName: '' })).attrs.error).toBe(TICKET_INVALID)
    } finally {
      await r.ref.close()
    }
  })
})

describe('unexpected internal errors', () => {
  test('a stored value XML cannot carry makes GetUser answer the SystemError text, no stack trace', async () => {
    const jane = await c.provision()
    const ticket = await c.login(jane)
    const set = await c.raw('GET', `/srv.asmx/UpdateUserEmail?authenticationTicket=${ticket}&UserName=${jane.userName}&NewEmailAddress=bad%01char`)
    expect(set.status).toBe(200)
    for (const binding of ['http-get', 'soap11'] as const) {
      const answer = await c.call(binding, 'GetUser', { authenticationTicket: ticket, UserName: jane.userName })
      expect(answer.status).toBe(200)
      expect(answer.attrs).toEqual({ success: 'false', error: 'SystemError:An unexpected error occurred.' })
      expect(answer.body).not.toMatch(/\bat \S+ \(|Exception|XmlCharacterError|\.ts\b|node:internal/)
    }
  })
})

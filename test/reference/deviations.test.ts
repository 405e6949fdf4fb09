import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ReferenceConfigError, embeddedApiNames, listDeviations, startReference } from '../../reference/index.ts'
import { INFOROUTER_DATA_DEVIATIONS } from '../../reference/deviations/inforouter-data.ts'
import { AUTH_FAILED, NS, TICKET_INVALID, parseOpAnswer, startClient, type RefClient } from './helpers.ts'
import { INFOROUTER_HEADER_SCENARIOS } from './inforouter-scenarios.ts'

/**
 * Each scenario observes one thing about the reference. Run against the plain reference it shows the
 * documented behaviour; run against a reference with the deviation it shows that the wrapper changed it.
 */
interface Scenario {
  readonly run: (c: RefClient) => Promise<unknown>
  readonly plain: unknown
  readonly deviant: unknown
}

const OK = { success: 'true', error: '' }

const SCENARIOS: Record<string, Scenario> = {
  'ie-noop-fails': {
    run: async (c) => {
      const jane = await c.provision()
      const ticket = await c.login(jane)
      const answer = await c.call('soap11', 'UpdateUserEmail', { authenticationTicket: ticket, UserName: jane.userName, NewEmailAddress: jane.email })
      return answer.attrs
    },
    plain: { success: 'true', error: '' },
    deviant: { success: 'false', error: 'Email address is unchanged' },
  },
  'ie-member-updates-anyone': {
    run: async (c) => {
      const [jane, bob] = [await c.provision(), await c.provision()]
      const ticket = await c.login(jane)
      const answer = await c.call('http-get', 'UpdateUserEmail', { authenticationTicket: ticket, UserName: bob.userName, NewEmailAddress: 'hijacked@x.test' })
      return { answer: answer.attrs, email: (await c.readUser(ticket, bob.userName)).Email === 'hijacked@x.test' }
    },
    plain: { answer: { success: 'false', error: 'Access denied' }, email: false },
    deviant: { answer: { success: 'true', error: '' }, email: true },
  },
  'ie-unknown-user-access-denied': {
    run: async (c) => {
      const ticket = await c.login(await c.provision())
      return (await c.call('http-post', 'UpdateUserEmail', { authenticationTicket: ticket, UserName: 'nobody', NewEmailAddress: 'a@b.c' })).attrs
    },
    plain: { success: 'false', error: 'User not found' },
    deviant: { success: 'false', error: 'Access denied' },
  },
  'ie-clears-mobile': {
    run: async (c) => {
      const jane = await c.provision({ mobileNumber: '+15550001111' })
      const ticket = await c.login(jane)
      await c.call('soap12', 'UpdateUserEmail', { authenticationTicket: ticket, UserName: jane.userName, NewEmailAddress: 'n@x.test' })
      return (await c.readUser(ticket, jane.userName)).MobileNumber
    },
    plain: '+15550001111',
    deviant: '',
  },
  'ie-soap-address-param-case': {
    run: async (c) => {
      const jane = await c.provision()
      const ticket = await c.login(jane)
      const soap = await c.call('soap12', 'UpdateUserEmail', { authenticationTicket: ticket, UserName: jane.userName, NewEmailAddress: 'soap@x.test' })
      const afterSoap = (await c.readUser(ticket, jane.userName)).Email
      const get = await c.call('http-get', 'UpdateUserEmail', { authenticationTicket: ticket, UserName: jane.userName, NewEmailAddress: 'get@x.test' })
      const afterGet = (await c.readUser(ticket, jane.userName)).Email
      return { soap: soap.attrs, stored: afterSoap === 'soap@x.test', get: get.attrs, afterGet }
    },
    plain: { soap: OK, stored: true, get: OK, afterGet: 'get@x.test' },
    deviant: { soap: OK, stored: false, get: OK, afterGet: 'get@x.test' },
  },
  'ie-self-change-pending': {
    run: async (c) => {
      const [jane, admin, bob] = [await c.provision(), await c.provision({ role: 'sysadmin' }), await c.provision()]
      const [ticket, adminTicket] = [await c.login(jane), await c.login(admin)]
      const own = await c.call('soap11', 'UpdateUserEmail', { authenticationTicket: ticket, UserName: jane.userName, NewEmailAddress: 'mine@x.test' })
      await c.call('http-post', 'UpdateUserEmail', { authenticationTicket: adminTicket, UserName: bob.userName, NewEmailAddress: 'by-admin@x.test' })
      return {
        own: own.attrs,
        jane: (await c.readUser(adminTicket, jane.userName)).Email === 'mine@x.test',
        bob: (await c.readUser(adminTicket, bob.userName)).Email,
      }
    },
    plain: { own: OK, jane: true, bob: 'by-admin@x.test' },
    deviant: { own: OK, jane: false, bob: 'by-admin@x.test' },
  },
  'ie-failures-as-exceptions': {
    run: async (c) => {
      const [jane, bob] = [await c.provision(), await c.provision()]
      const ticket = await c.login(jane)
      const denied = await c.send('http-get', 'UpdateUserEmail', { authenticationTicket: ticket, UserName: bob.userName, NewEmailAddress: 'x@x.test' })
      const unknown = await c.send('soap11', 'UpdateUserEmail', { authenticationTicket: ticket, UserName: 'nobody', NewEmailAddress: 'x@x.test' })
      const badTicket = await c.call('http-post', 'UpdateUserEmail', { authenticationTicket: '', UserName: jane.userName, NewEmailAddress: 'x@x.test' })
      return {
        denied: [denied.status, denied.contentType, denied.body.includes('Access denied')],
        unknown: [unknown.status, unknown.body.includes('<faultstring>'), unknown.body.includes('User not found')],
        badTicket: badTicket.attrs,
      }
    },
    plain: {
      denied: [200, 'text/xml; charset=utf-8', true],
      unknown: [200, false, true],
      badTicket: { success: 'false', error: AUTH_FAILED },
    },
    deviant: {
      denied: [500, 'text/plain; charset=utf-8', true],
      unknown: [500, true, true],
      badTicket: { success: 'false', error: AUTH_FAILED },
    },
  },
  'ie-get-address-not-decoded': {
    run: async (c) => {
      const jane = await c.provision()
      const ticket = await c.login(jane)
      // the helper percent-encodes every value: the query carries john.doe%40example.com
      await c.call('http-get', 'UpdateUserEmail', { authenticationTicket: ticket, UserName: jane.userName, NewEmailAddress: 'john.doe@example.com' })
      const viaGet = (await c.readUser(ticket, jane.userName)).Email
      await c.call('http-post', 'UpdateUserEmail', { authenticationTicket: ticket, UserName: jane.userName, NewEmailAddress: 'jane.doe@example.com' })
      return [viaGet, (await c.readUser(ticket, jane.userName)).Email]
    },
    plain: ['john.doe@example.com', 'jane.doe@example.com'],
    deviant: ['john.doe%40example.com', 'jane.doe@example.com'],
  },
  'ir-logout-keeps-ticket': {
    run: async (c) => {
      const ticket = await c.login(await c.provision())
      const out = await c.call('http-get', 'LogOut', { AuthenticationTicket: ticket })
      const after = await c.call('http-get', 'GetUser', { authenticationTicket: ticket, UserName: '' })
      return { out: out.attrs, after: after.attrs }
    },
    plain: { out: { success: 'true' }, after: { success: 'false', error: TICKET_INVALID } },
    deviant: { out: { success: 'true' }, after: { success: 'true', error: '' } },
  },
  'ir-unknown-ticket-900': {
    run: async (c) => {
      const unknown = '3f2504e0-4f89-11d3-9a0c-0305e82c3301'
      const ticket = await c.login(await c.provision())
      await c.call('soap11', 'LogOut', { AuthenticationTicket: ticket })
      return [
        (await c.call('soap11', 'UpdateUserContactInfo', { authenticationTicket: unknown, userName: 'x', emailAddress: 'a', mobileNumber: 'b' })).attrs.error,
        (await c.call('http-get', 'GetUser', { authenticationTicket: ticket, UserName: '' })).attrs.error,
        (await c.call('http-post', 'LogOut', { AuthenticationTicket: unknown })).attrs.error,
      ]
    },
    plain: [TICKET_INVALID, TICKET_INVALID, TICKET_INVALID],
    deviant: [AUTH_FAILED, AUTH_FAILED, AUTH_FAILED],
  },
  'ir-malformed-ticket-901': {
    run: async (c) => [
      (await c.call('http-get', 'UpdateUserEmail', { authenticationTicket: '', UserName: 'x', NewEmailAddress: 'y' })).attrs.error,
      (await c.call('soap12', 'GetUser', { authenticationTicket: null, UserName: 'x' })).attrs.error,
      (await c.call('soap11', 'UpdateUserContactInfo', { authenticationTicket: 'abc', userName: 'x', emailAddress: 'a', mobileNumber: 'b' })).attrs.error,
      (await c.call('http-get', 'AuthenticateUser', { UID: 'nobody', PWD: 'x' })).attrs.error,
    ],
    plain: [AUTH_FAILED, AUTH_FAILED, AUTH_FAILED, AUTH_FAILED],
    deviant: [TICKET_INVALID, TICKET_INVALID, TICKET_INVALID, AUTH_FAILED],
  },
  'ic-empty-preserves': {
    run: async (c) => {
      const jane = await c.provision({ mobileNumber: '+15550002222' })
      const ticket = await c.login(jane)
      await c.call('http-post', 'UpdateUserContactInfo', { authenticationTicket: ticket, userName: jane.userName, emailAddress: '', mobileNumber: '' })
      const user = await c.readUser(ticket, jane.userName)
      return [user.Email === jane.email, user.MobileNumber]
    },
    plain: [false, ''],
    deviant: [true, '+15550002222'],
  },
  'ic-nil-clears': {
    run: async (c) => {
      const jane = await c.provision({ mobileNumber: '+15550003333' })
      const ticket = await c.login(jane)
      await c.call('soap12', 'UpdateUserContactInfo', { authenticationTicket: ticket, userName: jane.userName, emailAddress: undefined, mobileNumber: null })
      const user = await c.readUser(ticket, jane.userName)
      return [user.Email === jane.email, user.MobileNumber]
    },
    plain: [true, '+15550003333'],
    deviant: [false, ''],
  },
  'ic-missing-param-defaults': {
    run: async (c) => {
      const jane = await c.provision({ mobileNumber: '+15550004444' })
      const ticket = await c.login(jane)
      const answer = await c.send('http-get', 'UpdateUserContactInfo', { authenticationTicket: ticket, userName: jane.userName, emailAddress: 'kept@x.test' })
      return { status: answer.status, mobile: (await c.readUser(ticket, jane.userName)).MobileNumber }
    },
    plain: { status: 500, mobile: '+15550004444' },
    deviant: { status: 200, mobile: '' },
  },
  'ic-not-atomic': {
    run: async (c) => {
      const [jane, bob] = [await c.provision(), await c.provision()]
      const ticket = await c.login(jane)
      const answer = await c.call('soap11', 'UpdateUserContactInfo', {
        authenticationTicket: ticket,
        userName: bob.userName,
        emailAddress: 'evil@x.test',
        mobileNumber: '0',
      })
      const user = await c.readUser(ticket, bob.userName)
      return { answer: answer.attrs, email: user.Email === 'evil@x.test', mobile: user.MobileNumber === '0' }
    },
    plain: { answer: { success: 'false', error: 'Access denied' }, email: false, mobile: false },
    deviant: { answer: { success: 'false', error: 'Access denied' }, email: true, mobile: false },
  },
  'ic-plus-becomes-space': {
    run: async (c) => {
      const jane = await c.provision()
      const ticket = await c.login(jane)
      await c.raw(
        'GET',
        `/srv.asmx/UpdateUserContactInfo?authenticationTicket=${ticket}&userName=${jane.userName}&emailAddress=a%2Bb%40x.test&mobileNumber=%2B15551234567`,
      )
      const user = await c.readUser(ticket, jane.userName)
      return [user.Email, user.MobileNumber]
    },
    plain: ['a+b@x.test', '+15551234567'],
    deviant: ['a b@x.test', ' 15551234567'],
  },
  'ic-normalises-mobile': {
    run: async (c) => {
      const jane = await c.provision()
      const ticket = await c.login(jane)
      await c.call('soap11', 'UpdateUserContactInfo', {
        authenticationTicket: ticket,
        userName: jane.userName,
        emailAddress: null,
        mobileNumber: '+1 (555) 123-4567',
      })
      return (await c.readUser(ticket, jane.userName)).MobileNumber
    },
    plain: '+1 (555) 123-4567',
    deviant: '+15551234567',
  },
  'ic-saves-only-email': {
    run: async (c) => {
      const jane = await c.provision({ mobileNumber: '+15550005555' })
      const ticket = await c.login(jane)
      await c.call('soap11', 'UpdateUserContactInfo', {
        authenticationTicket: ticket,
        userName: jane.userName,
        emailAddress: 'both@x.test',
        mobileNumber: '+15550006666',
      })
      const both = await c.readUser(ticket, jane.userName)
      await c.call('http-get', 'UpdateUserContactInfo', {
        authenticationTicket: ticket,
        userName: jane.userName,
        emailAddress: 'both@x.test',
        mobileNumber: '+15550007777',
      })
      return [both.Email, both.MobileNumber, (await c.readUser(ticket, jane.userName)).MobileNumber]
    },
    plain: ['both@x.test', '+15550006666', '+15550007777'],
    deviant: ['both@x.test', '+15550005555', '+15550007777'],
  },
  'ic-unchanged-fails': {
    run: async (c) => {
      const jane = await c.provision()
      const ticket = await c.login(jane)
      const same = await c.call('http-post', 'UpdateUserContactInfo', {
        authenticationTicket: ticket,
        userName: jane.userName,
        emailAddress: jane.email,
        mobileNumber: jane.mobileNumber,
      })
      const one = await c.call('soap12', 'UpdateUserContactInfo', {
        authenticationTicket: ticket,
        userName: jane.userName,
        emailAddress: jane.email,
        mobileNumber: '+15550008888',
      })
      return { same: same.attrs, one: one.attrs, mobile: (await c.readUser(ticket, jane.userName)).MobileNumber }
    },
    plain: { same: OK, one: OK, mobile: '+15550008888' },
    deviant: { same: { success: 'false', error: 'Nothing to update' }, one: OK, mobile: '+15550008888' },
  },
  'ic-http-user-without-mobile': {
    run: async (c) => {
      const jane = await c.provision({ mobileNumber: '+15550009999' })
      const ticket = await c.login(jane)
      const params = { authenticationTicket: ticket, UserName: jane.userName }
      return [
        (await c.call('http-get', 'GetUser', params)).user?.MobileNumber,
        (await c.call('http-post', 'GetUser', params)).user?.MobileNumber,
        (await c.call('soap11', 'GetUser', params)).user?.MobileNumber,
        (await c.call('soap12', 'GetUser', params)).user?.Email === jane.email,
      ]
    },
    plain: ['+15550009999', '+15550009999', '+15550009999', true],
    deviant: ['', '', '+15550009999', true],
  },
  'ir-unescaped-xml': {
    run: async (c) => {
      const jane = await c.provision({ email: 'a&b"c@x.test' })
      const ticket = await c.login(jane)
      const answer = await c.send('http-get', 'GetUser', { authenticationTicket: ticket, UserName: jane.userName })
      return /Email="([^\n]*?)" MobileNumber/.exec(answer.body)?.[1]
    },
    plain: 'a&amp;b&quot;c@x.test',
    deviant: 'a&b"c@x.test',
  },
  'ir-soap12-as-soap11': {
    run: async (c) => {
      const answer = await c.send('soap12', 'AuthenticateUser', { UID: 'nobody', PWD: 'x' })
      const fault = await c.raw('POST', '/srv.asmx', { headers: { 'content-type': `application/soap+xml; action="${NS}Nope"` }, body: '<x/>' })
      return [answer.contentType, answer.body.includes('http://www.w3.org/2003/05/soap-envelope'), fault.contentType]
    },
    plain: ['application/soap+xml; charset=utf-8', true, 'text/xml; charset=utf-8'],
    deviant: ['text/xml; charset=utf-8', false, 'text/xml; charset=utf-8'],
  },
  'ir-wrong-content-type': {
    run: async (c) => [
      (await c.send('http-get', 'AuthenticateUser', { UID: 'nobody', PWD: 'x' })).contentType,
      (await c.send('http-post', 'GetUser', { authenticationTicket: '', UserName: '' })).contentType,
      (await c.send('soap11', 'GetUser', { authenticationTicket: '', UserName: '' })).contentType,
    ],
    plain: ['text/xml; charset=utf-8', 'text/xml; charset=utf-8', 'text/xml; charset=utf-8'],
    deviant: ['text/html; charset=utf-8', 'text/html; charset=utf-8', 'text/xml; charset=utf-8'],
  },
  'ir-stack-trace-in-comment': {
    run: async (c) => {
      const ticket = await c.login(await c.provision())
      const failed = await c.send('http-get', 'GetUser', { authenticationTicket: '', UserName: '' })
      const overSoap = await c.send('soap11', 'GetUser', { authenticationTicket: '', UserName: '' })
      const succeeded = await c.send('http-post', 'GetUser', { authenticationTicket: ticket, UserName: '' })
      return [
        /<!-- System\.\w+Exception: \[900\] Authentication failed\r\n {3}at [^>]*Srv\.cs:line \d+/.test(failed.body),
        parseOpAnswer(failed, 'GetUser').attrs.error,
        overSoap.body.includes('<!--'),
        succeeded.body.includes('<!--'),
      ]
    },
    plain: [false, AUTH_FAILED, false, false],
    deviant: [true, AUTH_FAILED, false, false],
  },
  // The deviations of headers and expired tickets, last in the catalogue.
  ...INFOROUTER_HEADER_SCENARIOS,
}

let plain: RefClient
beforeAll(async () => {
  plain = await startClient()
})
afterAll(async () => {
  await plain.ref.close()
})

describe('the deviation catalogue', () => {
  test('listDeviations names every deviation once, with its API, broken behaviours and description (no wrappers)', () => {
    const all = listDeviations()
    expect(new Set(all.map((d) => d.name)).size).toBe(all.length)
    expect([...new Set(all.map((d) => d.api))]).toEqual(embeddedApiNames())
    for (const d of all) expect(Object.keys(d).sort()).toEqual(['api', 'breaks', 'description', 'name'])
    // The data deviations have their own scenarios (inforouter-data-deviations.test.ts).
    const list = all.filter((d) => d.api === 'inforouter' && !INFOROUTER_DATA_DEVIATIONS.some((x) => x.name === d.name))
    expect(list.map((d) => d.name)).toEqual(Object.keys(SCENARIOS))
    for (const d of list) {
      expect(d.breaks.length).toBeGreaterThan(0)
      expect(d.description.length).toBeGreaterThan(10)
    }
    expect(list.find((d) => d.name === 'ir-logout-keeps-ticket')?.breaks).toEqual(['IE-7', 'IC-6'])
    list[0]?.breaks.push('mutated')
    expect(listDeviations()[0]?.breaks).not.toContain('mutated')
  })

  test('an unknown deviation name throws ReferenceConfigError UNKNOWN_DEVIATION listing the valid names', async () => {
    const attempt = startReference({ deviations: ['ie-noop-fails', 'no-such-deviation'] })
    await expect(attempt).rejects.toBeInstanceOf(ReferenceConfigError)
    await expect(attempt).rejects.toMatchObject({ code: 'UNKNOWN_DEVIATION', validNames: listDeviations().map((d) => d.name) })
    await expect(attempt).rejects.toMatchObject({ validNames: expect.arrayContaining([...Object.keys(SCENARIOS), 'eo-answer-stale', 'er-bad-json-500']) })
    await expect(attempt).rejects.toThrow(/no-such-deviation.*Valid names: ie-noop-fails, /)
  })

  test('bad options throw INVALID_OPTION', async () => {
    await expect(startReference({ port: -1 })).rejects.toMatchObject({ code: 'INVALID_OPTION' })
    await expect(startReference({ maxRequestBytes: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION' })
  })
})

describe.each(Object.entries(SCENARIOS))('deviation %s', (name, scenario) => {
  test('changes the answer as described; the plain reference behaves as documented', async () => {
    expect(await scenario.run(plain)).toEqual(scenario.plain)
    const deviant = await startClient({ deviations: [name] })
    try {
      expect(await scenario.run(deviant)).toEqual(scenario.deviant)
    } finally {
      await deviant.ref.close()
    }
  })
})

describe('deviations compose', () => {
  test('several deviations at once each take effect', async () => {
    const c = await startClient({ deviations: ['ie-noop-fails', 'ir-wrong-content-type', 'ie-unknown-user-access-denied', 'ie-noop-fails'] })
    try {
      expect(await SCENARIOS['ie-noop-fails']?.run(c)).toEqual(SCENARIOS['ie-noop-fails']?.deviant)
      expect(await SCENARIOS['ir-wrong-content-type']?.run(c)).toEqual(SCENARIOS['ir-wrong-content-type']?.deviant)
      expect(await SCENARIOS['ie-unknown-user-access-denied']?.run(c)).toEqual(SCENARIOS['ie-unknown-user-access-denied']?.deviant)
      expect(await SCENARIOS['ie-clears-mobile']?.run(c)).toEqual(SCENARIOS['ie-clears-mobile']?.plain)
    } finally {
      await c.ref.close()
    }
  })
})

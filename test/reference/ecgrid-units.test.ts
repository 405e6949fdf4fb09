import { describe, expect, test } from 'vitest'
import { toInt32 } from '../../reference/asmx/xml-convert.ts'
import { createClock } from '../../reference/clock.ts'
import { openDatabase } from '../../reference/db.ts'
import { documentedAccess } from '../../reference/ecgrid/authority.ts'
import { isValidEmail } from '../../reference/ecgrid/email.ts'
import { createEcgridStore } from '../../reference/ecgrid/index.ts'
import { applyChange, type EcUser } from '../../reference/ecgrid/users.ts'
import { createEcgridRestApi } from '../../reference/ecgrid-rest/index.ts'
import { createEcgridOsApi } from '../../reference/ecgridos/index.ts'
import { dayMonthYear } from '../../reference/deviations/ecgridos-wraps.ts'
import type { HttpAnswer, HttpCall, Mount } from '../../reference/http/types.ts'
import { routeRequest } from '../../reference/rest/routes.ts'

const user = (over: Partial<EcUser>): EcUser => ({
  id: 1,
  login: 'u',
  password: 'p',
  firstName: '',
  lastName: '',
  email: '',
  networkId: 10,
  mailboxId: 100,
  authLevel: 'MailboxUser',
  status: 'Active',
  created: '2024-01-15T09:30:00Z',
  apiKey: 'k',
  ...over,
})

describe('xs:int reading', () => {
  test.each([
    ['5001', '5001'],
    [' \t+5001\r\n', '5001'],
    ['-0', '0'],
    ['-2147483648', '-2147483648'],
  ])('%j → %s', (text, value) => {
    expect(toInt32(text)).toEqual({ ok: true, value })
  })

  test.each(['', 'abc', '1.0', '1e3', '0x1', '1 2', '\u00a05'])('%j is not in a correct format', (text) => {
    expect(toInt32(text)).toEqual({ ok: false, message: 'Input string was not in a correct format.' })
  })

  test('out of Int32 range is an overflow', () => {
    expect(toInt32('2147483648')).toEqual({ ok: false, message: 'Value was either too large or too small for an Int32.' })
  })
})

describe('ECGrid rules', () => {
  test.each([
    ['a@b.cd', true],
    ['john.smith+tag@new-domain.co.uk', true],
    ['', false],
    ['a@b', false],
    ['@b.cd', false],
    ['a b@c.de', false],
    ['a@b@c.de', false],
  ])('email %j valid: %s', (email, valid) => {
    expect(isValidEmail(email)).toBe(valid)
  })

  test('authority (D4): self, Root, TechOps, NetworkAdmin by network, MailboxAdmin by mailbox', () => {
    const target = user({ id: 2, networkId: 10, mailboxId: 100 })
    const may = (caller: Partial<EcUser>): boolean => documentedAccess.mayActOn(user({ id: 1, ...caller }), target)
    expect(may({ id: 2 })).toBe(true)
    expect(may({ authLevel: 'Root', networkId: 99 })).toBe(true)
    expect(may({ authLevel: 'TechOps', networkId: 99 })).toBe(true)
    expect(may({ authLevel: 'NetworkAdmin', mailboxId: 101 })).toBe(true)
    expect(may({ authLevel: 'NetworkAdmin', networkId: 11 })).toBe(false)
    expect(may({ authLevel: 'MailboxAdmin' })).toBe(true)
    expect(may({ authLevel: 'MailboxAdmin', mailboxId: 101 })).toBe(false)
    expect(may({ authLevel: 'NetOps' })).toBe(false)
    expect(may({ authLevel: 'MailboxUser' })).toBe(false)
  })

  test('applyChange answers the changed user without the fields left out', () => {
    expect(applyChange(user({ firstName: 'A' }), { lastName: 'B', created: new Date('2025-02-03T04:05:06.789Z') })).toMatchObject({
      firstName: 'A',
      lastName: 'B',
      created: '2025-02-03T04:05:06Z',
    })
  })

  test('dd/MM/yyyy HH:mm', () => {
    expect(dayMonthYear('2024-01-15T09:30:00Z')).toBe('15/01/2024 09:30')
  })

  test('REST routing: literal segments case-insensitive, 405 lists the methods, no match 404', () => {
    const routes = [
      { name: 'PutUser', method: 'PUT', pattern: '/v2/users' },
      { name: 'GetUser', method: 'GET', pattern: '/v2/users/:id' },
    ]
    expect(routeRequest(routes, 'GET', '/V2/Users/12')).toEqual({ kind: 'route', route: routes[1], params: { id: '12' } })
    expect(routeRequest(routes, 'POST', '/v2/users')).toEqual({ kind: 'method-not-allowed', allow: ['PUT'] })
    expect(routeRequest(routes, 'GET', '/v2/users/')).toEqual({ kind: 'not-found' })
    expect(routeRequest(routes, 'GET', '/v2/users/%E0%A4%A')).toEqual({ kind: 'not-found' })
  })
})

/** A store whose user lookups throw a revealing error: what comes out must be the API's internal error, nothing more. */
function brokenMounts(): { soap: Mount; rest: Mount } {
  const db = openDatabase(':memory:')
  const store = createEcgridStore(db)
  const boom = (): never => {
    throw new Error('boom at /srv/secret/path.ts:12')
  }
  const broken = { ...store, users: { ...store.users, findByLogin: boom, findByApiKey: boom } }
  const clock = createClock()
  const soapMount = createEcgridOsApi({ store: broken, clock, wraps: [] }).mounts[0]
  const restMount = createEcgridRestApi({ store: broken, clock, wraps: [] }).mounts[0]
  if (soapMount === undefined || restMount === undefined) throw new Error('no mounts')
  return { soap: soapMount, rest: restMount }
}

const call = (over: Partial<HttpCall>): HttpCall => ({
  method: 'POST',
  path: '/',
  rawPath: '/',
  query: '',
  headers: {},
  body: Buffer.alloc(0),
  origin: 'http://127.0.0.1',
  ...over,
})

describe('unexpected errors', () => {
  test('ECGridOS answers soap:Server with SystemError "An unexpected error occurred." and no internals', async () => {
    const { soap } = brokenMounts()
    const body =
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
      '<Login xmlns="http://www.ecgridos.net/"><UserName>a</UserName><Password>b</Password></Login></soap:Body></soap:Envelope>'
    const answer: HttpAnswer = await soap.handle(
      call({
        path: '/v4.1/prod/ECGridOS.asmx',
        rawPath: '/v4.1/prod/ECGridOS.asmx',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://www.ecgridos.net/Login"' },
        body: Buffer.from(body),
      }),
    )
    expect(answer.status).toBe(500)
    expect(String(answer.body)).toContain(
      '<soap:Fault><faultcode>soap:Server</faultcode><faultstring>An unexpected error occurred.</faultstring>' +
        '<detail><ECGridOSSOAPErrorCode>SystemError</ECGridOSSOAPErrorCode></detail></soap:Fault>',
    )
    expect(String(answer.body)).not.toMatch(/boom|secret|\.ts/)
  })

  test('ECGrid REST answers 500 InternalError in the envelope and no internals', async () => {
    const { rest } = brokenMounts()
    const answer = await rest.handle(call({ method: 'GET', path: '/v2/users/1', rawPath: '/v2/users/1', headers: { 'x-api-key': 'k' } }))
    expect(answer.status).toBe(500)
    expect(answer.contentType).toBe('application/json; charset=utf-8')
    expect(JSON.parse(String(answer.body))).toEqual({ success: false, data: null, errorCode: 'InternalError', message: 'An unexpected error occurred.' })
  })
})

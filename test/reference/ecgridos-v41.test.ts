/**
 * The reference's live ECGridOS profile (D1b) over real HTTP, and the ASMX framework pieces it brought: typed
 * parameters over HTTP GET/POST (ScalarFormatter), a typed result as the GET/POST root (XmlReturnWriter), enumeration
 * reading over SOAP (XmlSerializer), the global result elements of the WSDL. Each rule with what it refuses and what
 * it accepts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { convertFormParams } from '../../reference/asmx/form-convert.ts'
import type { OperationSpec } from '../../reference/asmx/types.ts'
import { ECGRIDOS_V41_SERVICE } from '../../reference/ecgridos-v41/service.ts'
import { CONTROL_HEADER, startReference, type RunningReference } from '../../reference/index.ts'

const LIVE = '/live/v4.1/prod/ECGridOS.asmx'
const NS = 'https://os.ecgrid.io/'
const UPDATE = ECGRIDOS_V41_SERVICE.operations.find((o) => o.name === 'UserUpdate') as OperationSpec

let ref: RunningReference
let counter = 0

interface User {
  login: string
  password: string
  userId: string
  apiKey: string
}

async function provision(body: Record<string, string> = {}): Promise<User> {
  const login = `live${++counter}`
  const password = `Pw-${counter}-x!`
  const r = await fetch(`${ref.url}/__reference/ecgridos-v41/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CONTROL_HEADER]: ref.controlKey },
    body: JSON.stringify({
      login,
      password,
      role: 'MailboxUser',
      group: 'live',
      firstName: 'Ann',
      lastName: 'Lee',
      email: `${login}@example.com`,
      company: 'Acme',
      phone: '1',
      cellPhone: '2',
      cellCarrier: 'Verizon',
      ...body,
    }),
  })
  const made = (await r.json()) as Record<string, string>
  if (r.status !== 201) throw new Error(`provisioning: ${r.status} ${JSON.stringify(made)}`)
  return { login, password, userId: made.userId!, apiKey: made.apiKey! }
}

async function soap(op: string, inner: string, version: '1.1' | '1.2' = '1.1'): Promise<{ status: number; body: string }> {
  const env = version === '1.2' ? 'http://www.w3.org/2003/05/soap-envelope' : 'http://schemas.xmlsoap.org/soap/envelope/'
  const headers: Record<string, string> =
    version === '1.2'
      ? { 'content-type': `application/soap+xml; charset=utf-8; action="${NS}${op}"` }
      : { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${NS}${op}"` }
  const r = await fetch(`${ref.url}${LIVE}`, {
    method: 'POST',
    headers,
    body: `<soap:Envelope xmlns:soap="${env}"><soap:Body><${op} xmlns="${NS}">${inner}</${op}></soap:Body></soap:Envelope>`,
  })
  return { status: r.status, body: await r.text() }
}

const get = async (op: string, params: Record<string, string>) => {
  const r = await fetch(`${ref.url}${LIVE}/${op}?${new URLSearchParams(params)}`)
  return { status: r.status, contentType: r.headers.get('content-type'), body: await r.text() }
}

const keepAll = (session: string, userId: string): Record<string, string> => ({
  SessionID: session,
  UserID: userId,
  FirstName: '[Default]',
  LastName: '[Default]',
  Company: '[Default]',
  EMail: '[Default]',
  Phone: '[Default]',
  CellPhone: '[Default]',
  CellCarrier: 'NoChange',
  AuthLevel: 'NoChange',
})

const info = async (session: string, userId: string) => (await get('UserInfo', { SessionID: session, UserID: userId })).body

beforeAll(async () => {
  ref = await startReference()
})
afterAll(async () => {
  await ref.close()
})

describe('ScalarFormatter over HTTP GET/POST (convertFormParams)', () => {
  const base = {
    SessionID: 's',
    UserID: '5001',
    FirstName: 'a',
    LastName: 'b',
    Company: 'c',
    EMail: 'd',
    Phone: 'e',
    CellPhone: 'f',
    CellCarrier: 'NoChange',
    AuthLevel: 'Root',
  }
  test.each([
    ['UserID', ' +05001 ', '5001'],
    ['UserID', '-7', '-7'],
    ['AuthLevel', 'MailboxUser', 'MailboxUser'],
    ['AuthLevel', ' Root ', 'Root'],
    ['AuthLevel', '1', 'Root'],
    ['CellCarrier', 'Verizon', 'Verizon'],
  ])('%s %j is read as %j', (name, text, value) => {
    expect(convertFormParams(ECGRIDOS_V41_SERVICE, UPDATE, { ...base, [name]: text })).toEqual({ ok: true, params: { ...base, [name]: value } })
  })
  test.each([
    ['UserID', '5001x', 'System.Int32'],
    ['UserID', '', 'System.Int32'],
    ['UserID', '2147483648', 'System.Int32'],
    ['AuthLevel', 'root', 'AuthLevel'],
    ['AuthLevel', '99', 'AuthLevel'],
    ['CellCarrier', 'Pigeon', 'CellCarrier'],
  ])('%s %j is refused as .NET words it', (name, text, type) => {
    expect(convertFormParams(ECGRIDOS_V41_SERVICE, UPDATE, { ...base, [name]: text })).toEqual({
      ok: false,
      message: `Cannot convert ${text} to ${type}.\r\nParameter name: type`,
    })
  })
  test('strings pass as they are, "[Default]" included', () => {
    expect(convertFormParams(ECGRIDOS_V41_SERVICE, UPDATE, { ...base, FirstName: '[Default]', Phone: ' 0 ' })).toEqual({
      ok: true,
      params: { ...base, FirstName: '[Default]', Phone: ' 0 ' },
    })
  })
})

describe('the live profile over the wire', () => {
  test("GET answers a typed result as its type's root element in the service namespace, a complex one declaring xsi and xsd", async () => {
    const jane = await provision()
    const login = await get('Login', { LoginName: jane.login, Password: jane.password })
    expect(login.contentType).toBe('text/xml; charset=utf-8')
    expect(login.body).toMatch(new RegExp(`^<\\?xml version="1.0" encoding="utf-8"\\?>\\n<string xmlns="${NS}">[0-9a-f-]{36}</string>$`))
    const session = /<string[^>]*>([^<]+)</.exec(login.body)![1]!
    expect(await info(session, jane.userId)).toContain(
      `<UserIDInfo xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="${NS}">\n  <UserID>${jane.userId}</UserID>`,
    )
    const updated = await get('UserUpdate', { ...keepAll(session, jane.userId), FirstName: 'Bea' })
    expect(updated.body).toBe(`<?xml version="1.0" encoding="utf-8"?>\n<boolean xmlns="${NS}">true</boolean>`)
    expect((await get('Logout', { SessionID: session })).body).toBe(`<?xml version="1.0" encoding="utf-8"?>\n<int xmlns="${NS}">0</int>`)
  })

  test('"[Default]" and NoChange keep; other values are stored; the API key is a session', async () => {
    const jane = await provision()
    const answer = await get('UserUpdate', { ...keepAll(jane.apiKey, jane.userId), LastName: 'Park', CellCarrier: 'ATT' })
    expect(answer.body).toContain('>true</boolean>')
    const read = await info(jane.apiKey, jane.userId)
    for (const part of [
      '<FirstName>Ann</FirstName>',
      '<LastName>Park</LastName>',
      '<Company>Acme</Company>',
      '<Phone>1</Phone>',
      '<CellPhone>2</CellPhone>',
      '<CellCarrier>ATT</CellCarrier>',
      '<AuthLevel>MailboxUser</AuthLevel>',
    ]) {
      expect(read).toContain(part)
    }
  })

  test("the AuthLevel ceiling: above the session's own is refused and nothing changes; below it is applied", async () => {
    const admin = await provision({ role: 'NetworkAdmin' })
    const bob = await provision()
    const higher = await soap(
      'UserUpdate',
      Object.entries({ ...keepAll(admin.apiKey, bob.userId), FirstName: 'X', AuthLevel: 'TechOps' })
        .map(([k, v]) => `<${k}>${v}</${k}>`)
        .join(''),
    )
    expect(higher.status).toBe(500)
    expect(higher.body).toContain('<ErrorItem>AuthLevel</ErrorItem>')
    expect(await info(admin.apiKey, bob.userId)).toContain('<FirstName>Ann</FirstName>')
    const lower = await get('UserUpdate', { ...keepAll(admin.apiKey, bob.userId), AuthLevel: 'MailboxAdmin' })
    expect(lower.body).toContain('>true</boolean>')
    expect(await info(admin.apiKey, bob.userId)).toContain('<AuthLevel>MailboxAdmin</AuthLevel>')
  })

  test("SOAP reads an enumeration by its exact member name: anything else is the framework's read fault, before the operation", async () => {
    const jane = await provision()
    const params = (carrier: string) =>
      Object.entries({ ...keepAll(jane.apiKey, jane.userId), CellCarrier: carrier })
        .map(([k, v]) => `<${k}>${v}</${k}>`)
        .join('')
    const bad = await soap('UserUpdate', params(' Verizon'), '1.2')
    expect(bad.status).toBe(500)
    expect(bad.body).toContain('Server was unable to read request. ---&gt; There is an error in XML document (1, ')
    expect(bad.body).toContain("Instance validation error: ' Verizon' is not a valid value for CellCarrier.")
    expect((await soap('UserUpdate', params('Nextel'), '1.2')).body).toContain('<UserUpdateResult>true</UserUpdateResult>')
  })

  test('an ECGridOS fault carries ErrorCode, ErrorString, ErrorItem, ErrorMessage; over GET it is HTTP 500 text/plain', async () => {
    const fault = await soap('UserInfo', '<SessionID>nope</SessionID><UserID>1</UserID>')
    expect(fault.body).toMatch(
      /<detail><ErrorCode>\d+<\/ErrorCode><ErrorString>[^<]+<\/ErrorString><ErrorItem>SessionID<\/ErrorItem><ErrorMessage>[^<]+<\/ErrorMessage><\/detail>/,
    )
    const error = await get('UserInfo', { SessionID: 'nope', UserID: '1' })
    expect([error.status, error.contentType]).toEqual([500, 'text/plain; charset=utf-8'])
  })

  test("the WSDL declares the GET/POST answers as the global elements of their types, as the vendor's does", async () => {
    const wsdl = await (await fetch(`${ref.url}${LIVE}?WSDL`)).text()
    for (const line of [
      '<s:element name="string" nillable="true" type="s:string" />',
      '<s:element name="int" type="s:int" />',
      '<s:element name="UserIDInfo" nillable="true" type="tns:UserIDInfo" />',
      '<s:element name="boolean" type="s:boolean" />',
      '<wsdl:part name="Body" element="tns:boolean" />',
      `<soap12:address location="${ref.url}${LIVE}" />`,
    ]) {
      expect(wsdl).toContain(line)
    }
  })

  test('the seed profile keeps the root path, with its own namespace and no GET/POST', async () => {
    const seed = await (await fetch(`${ref.url}/v4.1/prod/ECGridOS.asmx?WSDL`)).text()
    expect(seed).toContain('targetNamespace="http://www.ecgridos.net/"')
    expect(seed).not.toContain('element="tns:boolean"')
  })

  test('provisioning takes the live fields and refuses a carrier that is no member (or NoChange)', async () => {
    const post = (body: Record<string, string>) =>
      fetch(`${ref.url}/__reference/ecgridos-v41/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CONTROL_HEADER]: ref.controlKey },
        body: JSON.stringify({ login: `p${++counter}`, password: 'p', role: 'General', group: 'g', ...body }),
      })
    expect((await post({ cellCarrier: 'NoChange' })).status).toBe(400)
    const unknown = await post({ fax: '1' })
    expect(unknown.status).toBe(400)
    expect(await unknown.text()).toContain('cellCarrier')
    expect((await post({ cellCarrier: 'Powertel', company: 'C' })).status).toBe(201)
  })
})

import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startClient, type RefClient } from './helpers.ts'
import {
  CLIENT_CODE,
  CONTENT_TYPE,
  LM_NS,
  LM_PATH,
  LmClient,
  READ_FAULT,
  SERVER_CODE,
  SOAP11_NS,
  SOAP12_NS,
  VERSIONS,
  credentials,
  lmEnvelope,
  processFault,
  type LmFixture,
} from './logicmelon-helpers.ts'

let c: RefClient
let lm: LmClient
let admin: LmFixture
let target: LmFixture
beforeAll(async () => {
  c = await startClient()
  lm = new LmClient(c)
  admin = await lm.provision({ role: 'Administrator', firstName: 'Ann', lastName: 'Admin' })
  target = await lm.provision({ role: 'Recruiter', group: admin.group, firstName: 'Tom', position: 'R&D <lead>' })
})
afterAll(async () => {
  await c.ref.close()
})

const ENVELOPE_NS = { '1.1': SOAP11_NS, '1.2': SOAP12_NS } as const

const envelope = (version: '1.1' | '1.2', body: string): string =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${ENVELOPE_NS[version]}" ` +
  `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>${body}</soap:Body></soap:Envelope>`

/** The exact CUser children the reference writes for a provisioned user with these values. */
function cUserXml(user: LmFixture, values: Record<string, string>): string {
  const text = (name: string, value = ''): string => (value === '' ? `<${name} />` : `<${name}>${value}</${name}>`)
  const strings = ['FirstName', 'LastName', 'Phone', 'Email', 'ApplicationsEmail', 'Fax']
  const more = [
    'UserCultureID',
    'WebSite',
    'UserAddress1',
    'UserAddress2',
    'UserAddress3',
    'UserState',
    'UserCountry',
    'UserPostCode',
    'UserWebSite',
    'Mobile',
    'Position',
  ]
  const flags = [
    'BBDCopySentMessages',
    'BBDLiveAdvertEmail',
    'BBDExpiringEmail',
    'BBDExpiredEmail',
    'DailyNewCandidatesEmail',
    'BBDInformCandidatesEmail',
    'BBDRemovedManuallyEmail',
  ]
  return [
    text('UserID', String(user.userId)),
    text('OrganisationID', String(user.organisationId)),
    text('UserIdentifier', user.userIdentifier),
    ...strings.map((f) => text(f, values[f])),
    text('Username', user.username),
    '<Password />',
    text('UserRoleID', user.role === 'Administrator' ? '1' : '2'),
    ...more.map((f) => text(f, values[f])),
    ...flags.map((f) => text(f, values[f] ?? 'false')),
  ].join('')
}

describe.each(VERSIONS)('LogicMelon over SOAP %s', (version) => {
  test('UserUpdate answers UserUpdateResponse/UserUpdateResult with the full CUser, byte for byte', async () => {
    const answer = await lm.send(version, 'UserUpdate', { ...credentials(admin), User: { UserID: String(target.userId), LastName: 'Tester' } })
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe(CONTENT_TYPE[version])
    const user = cUserXml(target, { FirstName: 'Tom', LastName: 'Tester', Position: 'R&amp;D &lt;lead&gt;' })
    expect(answer.body).toBe(envelope(version, `<UserUpdateResponse xmlns="${LM_NS}"><UserUpdateResult>${user}</UserUpdateResult></UserUpdateResponse>`))
  })

  test('UserList answers <CUser> items inside UserListResult, ordered by UserID', async () => {
    const answer = await lm.send(version, 'UserList', credentials(admin))
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe(CONTENT_TYPE[version])
    expect(answer.body).toContain(
      `<UserListResponse xmlns="${LM_NS}"><UserListResult><CUser>${cUserXml(admin, { FirstName: 'Ann', LastName: 'Admin' })}</CUser><CUser>`,
    )
  })

  test('an unknown identifier lists nothing: <UserListResult />', async () => {
    const answer = await lm.send(version, 'UserList', { ...credentials(admin), sUserIdentifier: 'no-such-user' })
    expect(answer.body).toBe(envelope(version, `<UserListResponse xmlns="${LM_NS}"><UserListResult /></UserListResponse>`))
  })

  test('UserAdd answers UserAddResult; UserDelete answers <UserDeleteResult>true</UserDeleteResult>', async () => {
    const added = await lm.call(version, 'UserAdd', {
      ...credentials(admin),
      sParentOrganisationIdentifier: String(admin.organisationId),
      User: { Username: `wire-add-${version}`, FirstName: 'New' },
    })
    expect(added.status).toBe(200)
    expect(added.contentType).toBe(CONTENT_TYPE[version])
    expect(added.fieldOrder).toHaveLength(30)
    expect(added.user).toMatchObject({ Username: `wire-add-${version}`, FirstName: 'New', Password: '', UserRoleID: '2' })
    const answer = await lm.send(version, 'UserDelete', { ...credentials(admin), User: { UserID: added.user?.UserID } })
    expect(answer.contentType).toBe(CONTENT_TYPE[version])
    expect(answer.body).toBe(envelope(version, `<UserDeleteResponse xmlns="${LM_NS}"><UserDeleteResult>true</UserDeleteResult></UserDeleteResponse>`))
  })

  test('an operation failure is HTTP 500, soap:Server / soap:Receiver, "Server was unable to process request. ---> …", empty detail', async () => {
    const answer = await lm.send(version, 'UserUpdate', { ...credentials(admin), sPassword: 'wrong', User: { UserID: String(target.userId) } })
    expect(answer.status).toBe(500)
    expect(answer.contentType).toBe(CONTENT_TYPE[version])
    const reason = 'Server was unable to process request. ---&gt; Authentication failed.'
    const fault =
      version === '1.1'
        ? `<soap:Fault><faultcode>soap:Server</faultcode><faultstring>${reason}</faultstring><detail /></soap:Fault>`
        : `<soap:Fault><soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">${reason}</soap:Text></soap:Reason><soap:Detail /></soap:Fault>`
    expect(answer.body).toBe(envelope(version, fault))
  })

  test('a Request left out, or nil, is a NullReferenceException; so is a User left out', async () => {
    for (const request of [undefined, null]) {
      const answer = await lm.call(version, 'UserList', request)
      expect(answer.fault).toEqual({ code: SERVER_CODE[version], reason: processFault('Object reference not set to an instance of an object.') })
    }
    const noUser = await lm.call(version, 'UserUpdate', credentials(admin))
    expect(noUser.fault?.reason).toBe(processFault('Object reference not set to an instance of an object.'))
  })

  test('an int that is not one is the read fault before the operation runs (even with bad credentials)', async () => {
    const answer = await lm.call(version, 'UserUpdate', { sAPIKey: 'x', User: { UserID: 'abc' } })
    expect(answer.status).toBe(500)
    expect(answer.fault?.code).toBe(CLIENT_CODE[version])
    expect(answer.fault?.reason).toMatch(READ_FAULT('Input string was not in a correct format.'))
  })

  test('a boolean other than true/false/1/0 is the read fault quoting it', async () => {
    for (const bad of ['yes', 'True', '']) {
      const answer = await lm.call(version, 'UserUpdate', { ...credentials(admin), User: { UserID: String(target.userId), BBDExpiredEmail: bad } })
      expect(answer.fault?.code).toBe(CLIENT_CODE[version])
      expect(answer.fault?.reason).toMatch(READ_FAULT(`The string '${bad}' is not a valid Boolean value.`))
    }
  })
})

describe('reading the Request as XmlSerializer does', () => {
  test('booleans accept true, false, 1 and 0 with surrounding white space', async () => {
    const set = async (value: string) => (await lm.update('1.1', admin, { UserID: String(target.userId), BBDLiveAdvertEmail: value })).user?.BBDLiveAdvertEmail
    expect(await set(' 1 ')).toBe('true')
    expect(await set('0')).toBe('false')
    expect(await set('\ttrue\n')).toBe('true')
    expect(await set('false')).toBe('false')
  })

  test('children in any order, unknown elements and other namespaces ignored, the first occurrence wins', async () => {
    const user =
      `<User><Mobile>first</Mobile><Unknown>x</Unknown><Mobile>second</Mobile>` +
      `<FirstName xmlns="urn:other">Ignored</FirstName><UserID>${target.userId}</UserID></User>`
    const request = `<Request><Extra /><sPassword>${admin.password}</sPassword>${user}<sUsername>${admin.username}</sUsername><sAPIKey>${admin.apiKey}</sAPIKey></Request>`
    const body =
      `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP11_NS}"><soap:Body>` +
      `<UserUpdate xmlns="${LM_NS}">${request}</UserUpdate></soap:Body></soap:Envelope>`
    const answer = await c.raw('POST', LM_PATH, { headers: { 'content-type': CONTENT_TYPE['1.1'], soapaction: `"${LM_NS}UserUpdate"` }, body })
    expect(answer.status).toBe(200)
    expect(answer.body).toContain('<FirstName>Tom</FirstName>')
    expect(answer.body).toContain('<Mobile>first</Mobile>')
  })

  test('an element inside a string field is a read error', async () => {
    const answer = await lm.call('1.1', 'UserUpdate', { ...credentials(admin), User: { UserID: String(target.userId), FirstName: { b: 'x' } } })
    expect(answer.fault?.reason).toMatch(/^Server was unable to read request\. ---> There is an error in XML document \(\d+, \d+\)\.$/)
  })
})

describe('the shared ASMX wire behaviour on /json/Administration.asmx', () => {
  test('the path is case-insensitive; GET shows the doc page, ?WSDL the description', async () => {
    const page = await c.raw('GET', '/JSON/administration.ASMX')
    expect(page.status).toBe(200)
    expect(page.contentType).toBe('text/html; charset=utf-8')
    expect(page.body).toContain('UserUpdate')
    const wsdl = await c.raw('GET', '/Json/Administration.asmx?wsdl')
    expect(wsdl.contentType).toBe('text/xml; charset=utf-8')
    expect(wsdl.body).toContain('name="Administration"')
  })

  test('no HttpGet/HttpPost: /UserList is "Request format is unrecognized for URL unexpectedly ending in …"', async () => {
    const answer = await c.raw('GET', `${LM_PATH}/UserList?sAPIKey=x`)
    expect(answer.status).toBe(500)
    expect(answer.body).toBe("Request format is unrecognized for URL unexpectedly ending in '/UserList'.")
  })

  test('an unknown SOAPAction is the framework client fault', async () => {
    const answer = await c.raw('POST', LM_PATH, {
      headers: { 'content-type': CONTENT_TYPE['1.1'], soapaction: `"${LM_NS}UserCreate"` },
      body: lmEnvelope('1.1', 'UserCreate', credentials(admin)),
    })
    expect(answer.status).toBe(500)
    expect(answer.body).toContain(`<faultstring>Server did not recognize the value of HTTP Header SOAPAction: ${LM_NS}UserCreate.</faultstring>`)
  })

  test('a wrong content type is 415, malformed XML 400 with an empty body', async () => {
    const wrong = await c.raw('POST', LM_PATH, { headers: { 'content-type': 'application/json', soapaction: `"${LM_NS}UserList"` }, body: '{}' })
    expect(wrong.status).toBe(415)
    const malformed = await c.raw('POST', LM_PATH, {
      headers: { 'content-type': CONTENT_TYPE['1.1'], soapaction: `"${LM_NS}UserList"` },
      body: '<soap:Envelope',
    })
    expect(malformed).toMatchObject({ status: 400, body: '' })
  })

  test('SOAP 1.2 without an action parameter is routed by the body element', async () => {
    const answer = await c.raw('POST', LM_PATH, { headers: { 'content-type': CONTENT_TYPE['1.2'] }, body: lmEnvelope('1.2', 'UserList', credentials(admin)) })
    expect(answer.status).toBe(200)
    expect(answer.body).toContain('<UserListResult><CUser>')
  })
})

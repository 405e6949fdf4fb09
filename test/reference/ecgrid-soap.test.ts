import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startClient, type RefClient } from './helpers.ts'
import { CONTENT_TYPE, EO_NS, EO_PATH, EcgridClient, GUID, READ_FAULT, SOAP11_NS, SOAP12_NS, VERSIONS, soapFields, type EcFixture } from './ecgrid-helpers.ts'

let c: RefClient
let ec: EcgridClient
beforeAll(async () => {
  c = await startClient()
  ec = new EcgridClient(c)
})
afterAll(async () => {
  await c.ref.close()
})

const CLIENT_CODE = { '1.1': 'soap:Client', '1.2': 'soap:Sender' } as const
/** XmlSerializer's form of a UTC DateTime: second precision, zone Z (the instant REST's created names). */
const CREATED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/

describe.each(VERSIONS)('ECGridOS over SOAP %s', (version) => {
  const fault = (errorCode: string, reason: string) => ({ code: CLIENT_CODE[version], reason, errorCode })

  test('Login answers a lower-case session GUID; the login name is case-insensitive; Sender* are optional', async () => {
    const user = await ec.provision()
    const answer = await ec.call(version, 'Login', {
      UserName: user.login.toUpperCase(),
      Password: user.password,
      SenderSolution: 'conform',
      SenderVersion: '1.0',
      SenderCompanyName: 'ACME',
      SenderContact: 'Jane',
      SenderContactEmail: 'jane@acme.test',
    })
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe(CONTENT_TYPE[version])
    expect(answer.result).toMatch(GUID)
    expect(answer.body).toContain(`<LoginResponse xmlns="${EO_NS}"><LoginResult>${String(answer.result)}</LoginResult></LoginResponse>`)
  })

  test('Login with a wrong password, an unknown or missing user: Authentication fault "Authentication failed"', async () => {
    const user = await ec.provision()
    for (const params of [
      { UserName: user.login, Password: 'wrong' },
      { UserName: 'nobody-at-all', Password: 'x' },
      { UserName: null, Password: user.password },
      {},
    ]) {
      const answer = await ec.call(version, 'Login', params)
      expect(answer.status).toBe(500)
      expect(answer.contentType).toBe(CONTENT_TYPE[version])
      expect(answer.fault).toEqual(fault('Authentication', 'Authentication failed'))
    }
  })

  test('Logout answers true and ends the session; a dead or unknown session: Authentication "Invalid SessionID"', async () => {
    const user = await ec.provision()
    const session = await ec.login(user, version)
    const out = await ec.call(version, 'Logout', { SessionID: session })
    expect(out.status).toBe(200)
    expect(out.body).toContain(`<LogoutResponse xmlns="${EO_NS}"><LogoutResult>true</LogoutResult></LogoutResponse>`)
    expect((await ec.call(version, 'UserInfo', { SessionID: session, UserID: String(user.userId) })).fault).toEqual(
      fault('Authentication', 'Invalid SessionID'),
    )
    expect((await ec.call(version, 'Logout', { SessionID: session })).fault).toEqual(fault('Authentication', 'Invalid SessionID'))
    expect((await ec.call(version, 'Logout', { SessionID: 'junk' })).fault).toEqual(fault('Authentication', 'Invalid SessionID'))
  })

  test('UserInfo answers the UserIDInfo elements in order; Created is xs:dateTime in UTC, with its Z', async () => {
    const user = await ec.provision({ role: 'MailboxAdmin', firstName: 'Ann', lastName: 'Lee' })
    const session = await ec.login(user, version)
    const answer = await ec.call(version, 'UserInfo', { SessionID: session.toUpperCase(), UserID: String(user.userId) })
    expect(answer.status).toBe(200)
    const result = answer.result as Record<string, string>
    expect(Object.keys(result)).toEqual(['UserID', 'Login', 'Email', 'FirstName', 'LastName', 'NetworkID', 'MailboxID', 'AuthLevel', 'Status', 'Created'])
    expect(result).toMatchObject(soapFields(user))
    expect(result.Created).toMatch(CREATED)
    expect(answer.body).toContain(`<UserInfoResponse xmlns="${EO_NS}"><UserInfoResult><UserID>${user.userId}</UserID><Login>${user.login}</Login>`)
  })

  describe('UserUpdate', () => {
    let user: EcFixture
    let session: string
    let created: string
    beforeAll(async () => {
      user = await ec.provision({ role: 'MailboxAdmin' })
      session = await ec.login(user, version)
      created = (await ec.userInfo(session, user.userId)).Created ?? ''
    })
    const update = (fields: Record<string, string | null | undefined>) =>
      ec.call(version, 'UserUpdate', { SessionID: session, UserID: String(user.userId), ...fields })

    test('answers the updated UserIDInfo; only the three fields change; UserInfo then shows the same', async () => {
      const answer = await update({ FirstName: 'Johnny', LastName: 'Smythe', Email: 'john.smith@newdomain.com' })
      expect(answer.status).toBe(200)
      expect(answer.contentType).toBe(CONTENT_TYPE[version])
      const expected = { ...soapFields(user), FirstName: 'Johnny', LastName: 'Smythe', Email: 'john.smith@newdomain.com', Created: created }
      expect(answer.result).toEqual(expected)
      expect(await ec.userInfo(session, user.userId)).toEqual(expected)
    })

    test('nil or a left-out element keeps the field; "" clears a name', async () => {
      await update({ FirstName: 'A', LastName: 'B', Email: 'a@b.test' })
      expect((await update({ FirstName: null })).result).toMatchObject({ FirstName: 'A', LastName: 'B', Email: 'a@b.test' })
      expect((await update({ LastName: 'C' })).result).toMatchObject({ FirstName: 'A', LastName: 'C', Email: 'a@b.test' })
      expect((await update({ FirstName: '', LastName: '', Email: null })).result).toMatchObject({ FirstName: '', LastName: '', Email: 'a@b.test' })
      expect((await update({})).result).toMatchObject({ FirstName: '', LastName: '', Email: 'a@b.test' })
      expect(await ec.userInfo(session, user.userId)).toMatchObject({ FirstName: '', LastName: '', Email: 'a@b.test', Created: created })
    })

    test('an invalid or empty email: InvalidParameter "Invalid email address", and nothing changes', async () => {
      await update({ FirstName: 'Keep', LastName: 'Me', Email: 'keep@me.test' })
      for (const email of ['', 'not-an-email', 'a@b', 'a b@c.de', 'a@@b.cd']) {
        const answer = await update({ FirstName: 'Changed', LastName: 'Changed', Email: email })
        expect(answer.status).toBe(500)
        expect(answer.fault).toEqual(fault('InvalidParameter', 'Invalid email address'))
      }
      expect(await ec.userInfo(session, user.userId)).toMatchObject({ FirstName: 'Keep', LastName: 'Me', Email: 'keep@me.test' })
    })

    test('the same values as now succeed and change nothing', async () => {
      const before = await ec.userInfo(session, user.userId)
      const answer = await update({ FirstName: before.FirstName, LastName: before.LastName, Email: before.Email })
      expect(answer.status).toBe(200)
      expect(answer.result).toEqual(before)
      expect(await ec.userInfo(session, user.userId)).toEqual(before)
    })

    test('UserID takes XML white space and a sign; non-integer text is the framework fault; overflow too', async () => {
      expect((await update({ UserID: ` +${user.userId}\n` })).result).toMatchObject({ UserID: String(user.userId) })
      for (const bad of ['abc', '', '12.5', '5 001', '0x10']) {
        const answer = await update({ UserID: bad, FirstName: 'Nope' })
        expect(answer.status).toBe(500)
        expect(answer.fault?.code).toBe(CLIENT_CODE[version])
        expect(answer.fault?.reason).toMatch(READ_FAULT)
        expect(answer.fault?.errorCode).toBeUndefined()
      }
      const overflow = await update({ UserID: '2147483648' })
      expect(overflow.fault?.reason).toMatch(/---> Value was either too large or too small for an Int32\.$/)
      expect((await ec.userInfo(session, user.userId)).FirstName).not.toBe('Nope')
    })
  })

  test('check order: session, then user, then authority, then validation', async () => {
    const admin = await ec.provision({ role: 'MailboxAdmin' })
    const stranger = await ec.provision({ role: 'MailboxUser' })
    const session = await ec.login(admin, version)
    const loggedOut = await ec.login(admin, version)
    await ec.call(version, 'Logout', { SessionID: loggedOut })
    const invalid = fault('Authentication', 'Invalid SessionID')
    for (const SessionID of [undefined, null, '', 'not-a-guid', '3f2504e0-4f89-11d3-9a0c-0305e82c3301', loggedOut]) {
      expect((await ec.call(version, 'UserUpdate', { SessionID, UserID: '999999', Email: 'bad' })).fault).toEqual(invalid)
    }
    const notFound = fault('ObjectNotFound', 'User not found')
    expect((await ec.call(version, 'UserUpdate', { SessionID: session, UserID: '999999', Email: 'bad' })).fault).toEqual(notFound)
    expect((await ec.call(version, 'UserUpdate', { SessionID: session, Email: 'x@y.test' })).fault).toEqual(notFound)
    expect((await ec.call(version, 'UserUpdate', { SessionID: session, UserID: null })).fault).toEqual(notFound)
    expect((await ec.call(version, 'UserInfo', { SessionID: session, UserID: '999999' })).fault).toEqual(notFound)
    const denied = fault('Authorization', 'Access denied')
    expect((await ec.call(version, 'UserUpdate', { SessionID: session, UserID: String(stranger.userId), Email: 'bad' })).fault).toEqual(denied)
    expect((await ec.call(version, 'UserInfo', { SessionID: session, UserID: String(stranger.userId) })).fault).toEqual(denied)
  })

  test("fault envelopes: HTTP 500, the version's envelope and content type, exactly one un-namespaced detail child", async () => {
    const answer = await ec.send(version, 'UserUpdate', { SessionID: 'nope', UserID: '1' })
    expect(answer.status).toBe(500)
    expect(answer.contentType).toBe(CONTENT_TYPE[version])
    const head =
      `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${version === '1.1' ? SOAP11_NS : SOAP12_NS}" ` +
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body><soap:Fault>'
    const fault11 =
      '<faultcode>soap:Client</faultcode><faultstring>Invalid SessionID</faultstring><detail><ECGridOSSOAPErrorCode>Authentication</ECGridOSSOAPErrorCode></detail>'
    const fault12 =
      '<soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">Invalid SessionID</soap:Text></soap:Reason>' +
      '<soap:Detail><ECGridOSSOAPErrorCode>Authentication</ECGridOSSOAPErrorCode></soap:Detail>'
    expect(answer.body).toBe(`${head}${version === '1.1' ? fault11 : fault12}</soap:Fault></soap:Body></soap:Envelope>`)
  })
})

describe('ECGridOS wire', () => {
  test('a SOAP 1.1 success is written as ASMX writes a typed result: children in the service namespace', async () => {
    const user = await ec.provision({ firstName: 'A&B', lastName: '' })
    const session = await ec.login(user)
    const answer = await ec.send('1.1', 'UserInfo', { SessionID: session, UserID: String(user.userId) })
    expect(answer.body).toMatch(
      new RegExp(
        `^<\\?xml version="1\\.0" encoding="utf-8"\\?><soap:Envelope xmlns:soap="${SOAP11_NS}" [^>]+><soap:Body>` +
          `<UserInfoResponse xmlns="http://www\\.ecgridos\\.net/"><UserInfoResult><UserID>${user.userId}</UserID><Login>${user.login}</Login>` +
          `<Email>${user.email}</Email><FirstName>A&amp;B</FirstName><LastName /><NetworkID>${user.networkId}</NetworkID>` +
          `<MailboxID>${user.mailboxId}</MailboxID><AuthLevel>MailboxUser</AuthLevel><Status>Active</Status>` +
          '<Created>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ</Created></UserInfoResult></UserInfoResponse></soap:Body></soap:Envelope>$',
      ),
    )
  })

  test('no HTTP GET/POST: /ECGridOS.asmx/<Op> is ASMX\'s "Request format is unrecognized for URL …"', async () => {
    for (const [method, path] of [
      ['GET', `${EO_PATH}/UserUpdate?SessionID=x&UserID=1`],
      ['POST', `${EO_PATH}/Login`],
      ['GET', `${EO_PATH}/Nope`],
    ] as const) {
      const answer = await c.raw(method, path, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: method === 'POST' ? 'UserName=a&Password=b' : undefined,
      })
      expect(answer.status).toBe(500)
      expect(answer.contentType).toBe('text/plain; charset=utf-8')
      expect(answer.body).toBe(`Request format is unrecognized for URL unexpectedly ending in '/${path.slice(EO_PATH.length + 1).split('?')[0]}'.`)
    }
  })

  test('the shared ASMX framework: 415, unknown SOAPAction, VersionMismatch, malformed XML 400, doc page', async () => {
    const wrongType = await c.raw('POST', EO_PATH, { headers: { 'content-type': 'text/plain', soapaction: `"${EO_NS}Login"` }, body: '<x/>' })
    expect(wrongType.status).toBe(415)
    const unknown = await c.raw('POST', EO_PATH, { headers: { 'content-type': 'text/xml', soapaction: `"${EO_NS}Nope"` }, body: '<x/>' })
    expect(unknown.status).toBe(500)
    expect(unknown.body).toContain(`Server did not recognize the value of HTTP Header SOAPAction: ${EO_NS}Nope.`)
    const mismatch = await c.raw('POST', EO_PATH, {
      headers: { 'content-type': 'text/xml', soapaction: `"${EO_NS}Login"` },
      body: '<e:Envelope xmlns:e="urn:other"><e:Body/></e:Envelope>',
    })
    expect(mismatch.body).toContain('soap:VersionMismatch')
    const malformed = await c.raw('POST', EO_PATH, { headers: { 'content-type': 'text/xml', soapaction: `"${EO_NS}Login"` }, body: '<soap:Envelope' })
    expect([malformed.status, malformed.body]).toEqual([400, ''])
    const doc = await c.raw('GET', EO_PATH)
    expect(doc.status).toBe(200)
    expect(doc.body).toContain('UserUpdate')
  })

  test('the path is matched case-insensitively, as IIS does', async () => {
    const user = await ec.provision()
    const answer = await c.raw('POST', EO_PATH.toLowerCase(), {
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${EO_NS}Login"` },
      body: `<soap:Envelope xmlns:soap="${SOAP11_NS}"><soap:Body><Login xmlns="${EO_NS}"><UserName>${user.login}</UserName><Password>${user.password}</Password></Login></soap:Body></soap:Envelope>`,
    })
    expect(answer.status).toBe(200)
  })
})

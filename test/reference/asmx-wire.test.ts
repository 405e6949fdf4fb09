import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { NS, SOAP11_NS, SOAP12_NS, XSI_NS, soapEnvelope, startClient, type RefClient } from './helpers.ts'

let c: RefClient
let ticket: string
let userName: string
beforeAll(async () => {
  c = await startClient({ maxRequestBytes: 20_000 })
  const jane = await c.provision()
  userName = jane.userName
  ticket = await c.login(jane)
})
afterAll(async () => {
  await c.ref.close()
})

const XML11 = { 'content-type': 'text/xml; charset=utf-8' }
const emailEnvelope = (version: '1.1' | '1.2', email = 'wire@x.test'): string =>
  soapEnvelope(version, 'UpdateUserEmail', { authenticationTicket: ticket, UserName: userName, NewEmailAddress: email })

const fault11 = (code: string, text: string): string =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP11_NS}" xmlns:xsi="${XSI_NS}" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
  `<soap:Body><soap:Fault><faultcode>soap:${code}</faultcode><faultstring>${text}</faultstring><detail /></soap:Fault></soap:Body></soap:Envelope>`

const fault12 = (code: string, text: string): string =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP12_NS}" xmlns:xsi="${XSI_NS}" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
  `<soap:Body><soap:Fault><soap:Code><soap:Value>soap:${code}</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">${text}</soap:Text></soap:Reason><soap:Detail /></soap:Fault></soap:Body></soap:Envelope>`

describe('SOAP answers', () => {
  test('SOAP 1.1 success is byte-exact ASMX: wrapper elements in tempuri, the inner element with xmlns=""', async () => {
    const answer = await c.raw('POST', '/srv.asmx', { headers: { ...XML11, soapaction: `"${NS}UpdateUserEmail"` }, body: emailEnvelope('1.1') })
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe('text/xml; charset=utf-8')
    expect(answer.headers['cache-control']).toBe('private, max-age=0')
    expect(answer.body).toBe(
      `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${SOAP11_NS}" xmlns:xsi="${XSI_NS}" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
        '<soap:Body><UpdateUserEmailResponse xmlns="http://tempuri.org/"><UpdateUserEmailResult><response success="true" error="" xmlns="" />' +
        '</UpdateUserEmailResult></UpdateUserEmailResponse></soap:Body></soap:Envelope>',
    )
  })

  test('SOAP 1.2 success uses the 1.2 envelope and application/soap+xml', async () => {
    const answer = await c.raw('POST', '/srv.asmx', { headers: { 'content-type': 'application/soap+xml; charset=utf-8' }, body: emailEnvelope('1.2') })
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe('application/soap+xml; charset=utf-8')
    expect(answer.body).toContain(`<soap:Envelope xmlns:soap="${SOAP12_NS}"`)
    expect(answer.body).toContain('<UpdateUserEmailResult><response success="true" error="" xmlns="" /></UpdateUserEmailResult>')
  })

  test('a 1.1 envelope without SOAPAction is routed by its body element and answered in 1.1', async () => {
    const answer = await c.raw('POST', '/srv.asmx', { headers: XML11, body: emailEnvelope('1.1') })
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe('text/xml; charset=utf-8')
    expect(answer.body).toContain(`xmlns:soap="${SOAP11_NS}"`)
  })

  test('a 1.2 envelope with a SOAPAction header and text/xml is answered in 1.2 (the envelope decides)', async () => {
    const answer = await c.raw('POST', '/srv.asmx', { headers: { ...XML11, soapaction: `${NS}UpdateUserEmail` }, body: emailEnvelope('1.2') })
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe('application/soap+xml; charset=utf-8')
  })

  test('the SOAPAction wins over a mis-named body element (parameters are then lost)', async () => {
    const answer = await c.raw('POST', '/srv.asmx', {
      headers: { ...XML11, soapaction: `"${NS}GetUser"` },
      body: emailEnvelope('1.1'),
    })
    expect(answer.status).toBe(200)
    expect(answer.body).toContain('<GetUserResult><response success="false" error="[900] Authentication failed" xmlns="" />')
  })
})

describe('SOAP routing and request faults', () => {
  test('unknown or empty SOAPAction: 500 soap:Client "Server did not recognize the value of HTTP Header SOAPAction"', async () => {
    const unknown = await c.raw('POST', '/srv.asmx', { headers: { ...XML11, soapaction: '"http://tempuri.org/updateUserEmail"' }, body: emailEnvelope('1.1') })
    expect(unknown.status).toBe(500)
    expect(unknown.contentType).toBe('text/xml; charset=utf-8')
    expect(unknown.body).toBe(fault11('Client', 'Server did not recognize the value of HTTP Header SOAPAction: http://tempuri.org/updateUserEmail.'))
    const empty = await c.raw('POST', '/srv.asmx', { headers: { ...XML11, soapaction: '""' }, body: emailEnvelope('1.1') })
    expect(empty.body).toBe(fault11('Client', 'Server did not recognize the value of HTTP Header SOAPAction: .'))
  })

  test('SOAP 1.1 with a wrong content type: HTTP 415 fault "expected \'text/xml\'"', async () => {
    const answer = await c.raw('POST', '/srv.asmx', {
      headers: { 'content-type': 'application/json', soapaction: `"${NS}UpdateUserEmail"` },
      body: emailEnvelope('1.1'),
    })
    expect(answer.status).toBe(415)
    expect(answer.body).toBe(fault11('Client', "Server found request content type to be 'application/json', but expected 'text/xml'."))
    const soap12Type = await c.raw('POST', '/srv.asmx', {
      headers: { 'content-type': 'application/soap+xml; charset=utf-8', soapaction: `"${NS}UpdateUserEmail"` },
      body: emailEnvelope('1.1'),
    })
    expect(soap12Type.status).toBe(415)
    expect(soap12Type.body).toContain("Server found request content type to be 'application/soap+xml; charset=utf-8', but expected 'text/xml'.")
  })

  test('SOAP 1.2 routing failures are soap:Sender faults with the ASMX texts', async () => {
    const noAction = await c.raw('POST', '/srv.asmx', {
      headers: { 'content-type': 'application/soap+xml' },
      body: soapEnvelope('1.2', 'Nope', {}),
    })
    expect(noAction.status).toBe(500)
    expect(noAction.contentType).toBe('application/soap+xml; charset=utf-8')
    expect(noAction.body).toBe(fault12('Sender', 'Unable to handle request without a valid action parameter. Please supply a valid soap action.'))
    const badAction = await c.raw('POST', '/srv.asmx', {
      headers: { 'content-type': 'application/soap+xml; action="urn:nope"' },
      body: soapEnvelope('1.2', 'Nope', {}),
    })
    expect(badAction.body).toBe(fault12('Sender', "Unable to handle request. The action 'urn:nope' was not recognized."))
    const byElement = await c.raw('POST', '/srv.asmx', {
      headers: { 'content-type': 'application/soap+xml; action="urn:nope"' },
      body: emailEnvelope('1.2'),
    })
    expect(byElement.status).toBe(200)
  })

  test('an unknown envelope namespace is a VersionMismatch fault (1.1, with an Upgrade header)', async () => {
    const body = emailEnvelope('1.1').replace(SOAP11_NS, 'urn:not-soap')
    const answer = await c.raw('POST', '/srv.asmx', { headers: { ...XML11, soapaction: `"${NS}UpdateUserEmail"` }, body })
    expect(answer.status).toBe(500)
    expect(answer.body).toContain('<faultcode>soap:VersionMismatch</faultcode>')
    expect(answer.body).toContain(
      `<faultstring>Possible SOAP version mismatch: Envelope namespace urn:not-soap was unexpected. Expecting ${SOAP11_NS}.</faultstring>`,
    )
    expect(answer.body).toContain('<soap12:Upgrade')
  })

  test('missing Envelope or Body: "Request format is invalid: Missing required soap:… element."', async () => {
    const headers = { ...XML11, soapaction: `"${NS}UpdateUserEmail"` }
    const noEnvelope = await c.raw('POST', '/srv.asmx', { headers, body: `<soap:Message xmlns:soap="${SOAP11_NS}"/>` })
    expect(noEnvelope.status).toBe(500)
    expect(noEnvelope.body).toBe(fault11('Client', 'Request format is invalid: Missing required soap:Envelope element.'))
    const noBody = await c.raw('POST', '/srv.asmx', { headers, body: `<soap:Envelope xmlns:soap="${SOAP11_NS}"><soap:Header/></soap:Envelope>` })
    expect(noBody.body).toBe(fault11('Client', 'Request format is invalid: Missing required soap:Body element.'))
    const noBody12 = await c.raw('POST', '/srv.asmx', {
      headers: { 'content-type': 'application/soap+xml' },
      body: `<soap:Envelope xmlns:soap="${SOAP12_NS}"/>`,
    })
    expect(noBody12.body).toBe(fault12('Sender', 'Request format is invalid: Missing required soap:Body element.'))
  })

  test('malformed XML, a DOCTYPE (entity tricks) or bytes that are not UTF-8 where nothing names an encoding: HTTP 400 with an empty body, nothing changes', async () => {
    const headers = { ...XML11, soapaction: `"${NS}UpdateUserEmail"` }
    const bodies = [
      emailEnvelope('1.1').slice(0, -20),
      `<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>${emailEnvelope('1.1', '&lol2;').replace('<?xml version="1.0" encoding="utf-8"?>', '')}`,
      `<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>`,
      emailEnvelope('1.1').replace('<soap:Body>', '<soap:Body><x:y/>'),
      '',
    ]
    for (const body of bodies) {
      const answer = await c.raw('POST', '/srv.asmx', { headers, body })
      expect(answer.status).toBe(400)
      expect(answer.body).toBe('')
    }
    const invalidUtf8 = Buffer.concat([Buffer.from(emailEnvelope('1.1', 'x').slice(0, 200)), Buffer.from([0xff, 0xfe]), Buffer.from('</x>')])
    expect((await c.raw('POST', '/srv.asmx', { headers, body: invalidUtf8 })).status).toBe(400)
    // XmlTextReader's own UTF-8 (no charset given) is strict; charset=utf-8 is a StreamReader, which writes U+FFFD instead
    const notUtf8 = Buffer.from(emailEnvelope('1.2', 'caf\u00e9@x.test'), 'latin1')
    const strict = await c.raw('POST', '/srv.asmx', { headers: { 'content-type': `application/soap+xml; action="${NS}UpdateUserEmail"` }, body: notUtf8 })
    expect(strict.status).toBe(400)
    expect(strict.body).toBe('')
    const user = await c.readUser(ticket, userName)
    expect(user.Email).not.toContain('lol')
  })

  test('an element inside a string parameter: soap:Client "Server was unable to read request"', async () => {
    const body = emailEnvelope('1.1').replace('<UserName>', '<UserName><b>x</b>')
    const answer = await c.raw('POST', '/srv.asmx', { headers: { ...XML11, soapaction: `"${NS}UpdateUserEmail"` }, body })
    expect(answer.status).toBe(500)
    expect(answer.body).toMatch(/<faultstring>Server was unable to read request\. ---&gt; There is an error in XML document \(\d+, \d+\)\.<\/faultstring>/)
  })

  test('bodies above maxRequestBytes answer 413', async () => {
    const big = emailEnvelope('1.1', 'x'.repeat(30_000))
    const answer = await c.raw('POST', '/srv.asmx', { headers: { ...XML11, soapaction: `"${NS}UpdateUserEmail"` }, body: big })
    expect(answer.status).toBe(413)
    const form = await c.raw('POST', '/srv.asmx/UpdateUserEmail', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `NewEmailAddress=${'y'.repeat(30_000)}`,
    })
    expect(form.status).toBe(413)
    const hostile = await c.raw('POST', '/srv.asmx', { headers: XML11, body: Buffer.alloc(5_000_000, 'a') })
    expect(hostile.status).toBe(413)
    expect((await c.raw('GET', '/srv.asmx?wsdl')).status).toBe(200)
    expect((await c.readUser(ticket, userName)).Email).not.toMatch(/^x{100}/)
  })
})

describe('GET/POST routing', () => {
  test('method names are case-sensitive; unknown names are "not valid" (500 text/plain)', async () => {
    const wrongCase = await c.raw('GET', '/srv.asmx/updateuseremail?authenticationTicket=x&UserName=y&NewEmailAddress=z')
    expect(wrongCase.status).toBe(500)
    expect(wrongCase.contentType).toBe('text/plain; charset=utf-8')
    expect(wrongCase.body).toBe(
      "Invalid method name 'updateuseremail',  method names are case sensitive.   The method name 'UpdateUserEmail' with the same name but different casing was found.",
    )
    const unknown = await c.raw('POST', '/srv.asmx/DeleteEverything', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' })
    expect(unknown.status).toBe(500)
    expect(unknown.body).toBe('DeleteEverything Web Service method name is not valid.')
  })

  test('POST with another content type: "Request format is invalid: <content-type>."', async () => {
    const answer = await c.raw('POST', '/srv.asmx/UpdateUserEmail', { headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(answer.status).toBe(500)
    expect(answer.contentType).toBe('text/plain; charset=utf-8')
    expect(answer.body).toBe('Request format is invalid: application/json.')
  })

  test('other verbs answer 405 "Request format is unrecognized."; unknown paths 404', async () => {
    for (const path of ['/srv.asmx', '/srv.asmx/GetUser']) {
      const answer = await c.raw('PUT', path, { body: 'x' })
      expect(answer.status).toBe(405)
      expect(answer.body).toBe('Request format is unrecognized.')
    }
    expect((await c.raw('DELETE', '/srv.asmx')).status).toBe(405)
    expect((await c.raw('GET', '/nothing-here')).status).toBe(404)
    expect((await c.raw('GET', '/srv.asmxx')).status).toBe(404)
  })

  test('GET/POST answers are the bare element after the XML declaration, attribute values escaped', async () => {
    const answer = await c.raw('GET', `/srv.asmx/UpdateUserEmail?authenticationTicket=nope&UserName=x&NewEmailAddress=y`)
    expect(answer.body).toBe('<?xml version="1.0" encoding="utf-8"?>\n<response success="false" error="[900] Authentication failed" />')
    await c.raw('GET', `/srv.asmx/UpdateUserEmail?authenticationTicket=${ticket}&UserName=${userName}&NewEmailAddress=${encodeURIComponent('a&b<c>"d\'e')}`)
    const read = await c.raw('GET', `/srv.asmx/GetUser?authenticationTicket=${ticket}&UserName=${userName}`)
    expect(read.body).toContain('Email="a&amp;b&lt;c&gt;&quot;d\'e"')
  })
})

describe('WSDL and documentation page', () => {
  test('?WSDL (any case) is WSDL 1.1 with both SOAP bindings, HttpGet/HttpPost and the request origin', async () => {
    for (const query of ['WSDL', 'wsdl', 'Wsdl']) {
      const answer = await c.raw('GET', `/srv.asmx?${query}`)
      expect(answer.status).toBe(200)
      expect(answer.contentType).toBe('text/xml; charset=utf-8')
      expect(answer.body).toContain('<s:schema elementFormDefault="qualified" targetNamespace="http://tempuri.org/">')
      expect(answer.body).toContain('<s:element minOccurs="0" maxOccurs="1" name="mobileNumber" type="s:string" />')
      expect(answer.body).toMatch(
        /<s:element minOccurs="0" maxOccurs="1" name="UpdateUserContactInfoResult">\s*<s:complexType mixed="true">\s*<s:sequence>\s*<s:any \/>/,
      )
      expect(answer.body).toContain('<soap:operation soapAction="http://tempuri.org/UpdateUserContactInfo" style="document" />')
      expect(answer.body).toContain('<soap12:operation soapAction="http://tempuri.org/UpdateUserContactInfo" style="document" />')
      expect(answer.body).toContain('<http:binding verb="GET" />')
      expect(answer.body).toContain('<http:binding verb="POST" />')
      expect(answer.body).toContain('<wsdl:service name="srv">')
      expect(answer.body).toContain(`<soap:address location="${c.url}/srv.asmx" />`)
      expect(answer.body).toContain(`<soap12:address location="${c.url}/srv.asmx" />`)
    }
  })

  test('the WSDL address follows the Host header the client used', async () => {
    const answer = await c.raw('GET', '/srv.asmx?wsdl', { headers: { host: 'example.test:8080' } })
    expect(answer.body).toContain('<soap:address location="http://example.test:8080/srv.asmx" />')
  })

  test('plain GET /srv.asmx is a small HTML page listing the operations', async () => {
    const answer = await c.raw('GET', '/srv.asmx')
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe('text/html; charset=utf-8')
    for (const op of ['AuthenticateUser', 'GetUser', 'UpdateUserEmail', 'UpdateUserContactInfo', 'LogOut']) expect(answer.body).toContain(op)
  })
})

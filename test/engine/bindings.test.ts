import { describe, expect, test } from 'vitest'
import { httpGet, httpPost } from '../../src/bindings/http-form.ts'
import { soap11, soap12, SOAP11_ENV, SOAP12_ENV } from '../../src/bindings/soap.ts'
import type { WireAnswer } from '../../src/bindings/types.ts'
import { NIL } from '../../src/yaml/source.ts'

const input = (params: Array<[string, string | typeof NIL]>) => ({
  baseUrl: 'http://t',
  path: '/srv.asmx/UpdateUserContactInfo',
  operation: 'UpdateUserContactInfo',
  namespace: 'http://tempuri.org/',
  params,
})
const xmlAnswer = (body: string, contentType = 'text/xml; charset=utf-8', status = 200): WireAnswer => ({
  status,
  headers: { 'content-type': contentType },
  body,
})
const ctx = { operation: 'UpdateUserContactInfo', namespace: 'http://tempuri.org/', answerElement: 'response' }
const envelope = (ns: string, body: string) =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${ns}"><soap:Body>${body}</soap:Body></soap:Envelope>`

describe('HTTP GET and POST encode', () => {
  test('percent-encode @ and + so neither is lost (IE-10, IC-9)', () => {
    const req = httpGet.encode(
      input([
        ['userName', 'jdoe'],
        ['emailAddress', 'john.doe@example.com'],
        ['mobileNumber', '+15551234567'],
      ]),
    )
    expect(req.url).toBe('http://t/srv.asmx/UpdateUserContactInfo?userName=jdoe&emailAddress=john.doe%40example.com&mobileNumber=%2B15551234567')
    const post = httpPost.encode(input([['mobileNumber', '+1 555']]))
    expect(post.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(post.body).toBe('mobileNumber=%2B1%20555')
  })
  test('refuse nil, which GET/POST cannot express', () => {
    expect(() => httpGet.encode(input([['emailAddress', NIL]]))).toThrow(/nil cannot be sent/)
  })
})

describe('SOAP encode', () => {
  test('1.1: text/xml, quoted SOAPAction, escaped values, xsi:nil with its namespace declared', () => {
    const req = soap11.encode(
      input([
        ['emailAddress', NIL],
        ['userName', `a&b<"c">`],
      ]),
    )
    expect(req.headers).toEqual({ 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://tempuri.org/UpdateUserContactInfo"' })
    expect(req.body).toContain(`xmlns:soap="${SOAP11_ENV}"`)
    expect(req.body).toContain('xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"')
    expect(req.body).toContain('<UpdateUserContactInfo xmlns="http://tempuri.org/"><emailAddress xsi:nil="true"/>')
    expect(req.body).toContain('<userName>a&amp;b&lt;&quot;c&quot;&gt;</userName>')
  })
  test('1.2: application/soap+xml with the action parameter, 1.2 envelope', () => {
    const req = soap12.encode(input([['userName', '']]))
    expect(req.headers['content-type']).toBe('application/soap+xml; charset=utf-8; action="http://tempuri.org/UpdateUserContactInfo"')
    expect(req.body).toContain(`xmlns:soap="${SOAP12_ENV}"`)
    expect(req.body).toContain('<userName/>')
  })
})

describe('decode', () => {
  test('a GET/POST answer is the bare element, attributes become fields', () => {
    const o = httpGet.decode(xmlAnswer('<?xml version="1.0"?>\n<response success="false" error="a &amp; b" />'), ctx)
    expect(o).toMatchObject({ kind: 'answer', value: { success: 'false', error: 'a & b' }, problems: [] })
  })
  test('ASMX framework errors are HTTP errors with their text', () => {
    const o = httpPost.decode(xmlAnswer('Missing parameter: mobileNumber.\r\n', 'text/plain; charset=utf-8', 500), ctx)
    expect(o).toMatchObject({ kind: 'http-error', status: 500, text: 'Missing parameter: mobileNumber.' })
  })
  test('X-1: a wrong content type and a body that is not well-formed are problems', () => {
    const wrongType = httpGet.decode(xmlAnswer('<response success="true" error=""/>', 'text/html'), ctx)
    expect(wrongType.problems.map((p) => [p.behaviours.join(), p.code])).toEqual([['X-1', 'CONTENT_TYPE']])
    const broken = httpGet.decode(xmlAnswer('<response success="true" error="<"/>'), ctx)
    expect(broken.kind).toBe('undecodable')
    expect(broken.problems.map((p) => p.code)).toEqual(['NOT_WELL_FORMED'])
  })
  test('a DOCTYPE (entity tricks) is refused, never expanded', () => {
    const o = httpGet.decode(xmlAnswer('<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><response success="&x;" error=""/>'), ctx)
    expect(o.kind).toBe('undecodable')
    expect(o.problems[0]?.message).toMatch(/DOCTYPE/)
  })
  test('SOAP answers unwrap OpResponse/OpResult/<response> by namespace, not prefix', () => {
    const body =
      '<x:UpdateUserContactInfoResponse xmlns:x="http://tempuri.org/"><x:UpdateUserContactInfoResult><response xmlns="" success="true" error=""/></x:UpdateUserContactInfoResult></x:UpdateUserContactInfoResponse>'
    expect(soap12.decode(xmlAnswer(envelope(SOAP12_ENV, body), 'application/soap+xml; charset=utf-8'), ctx)).toMatchObject({
      kind: 'answer',
      value: { success: 'true', error: '' },
      problems: [],
    })
    const wrongNs = body.replace('http://tempuri.org/', 'urn:other')
    expect(soap11.decode(xmlAnswer(envelope(SOAP11_ENV, wrongNs)), ctx).kind).toBe('undecodable')
  })
  test('SOAP 1.1 and 1.2 faults', () => {
    const f11 = soap11.decode(
      xmlAnswer(envelope(SOAP11_ENV, '<soap:Fault><faultcode>soap:Client</faultcode><faultstring>bad</faultstring><detail/></soap:Fault>'), 'text/xml', 500),
      ctx,
    )
    expect(f11).toMatchObject({ kind: 'fault', code: 'soap:Client', reason: 'bad', problems: [] })
    const f12 = soap12.decode(
      xmlAnswer(
        envelope(
          SOAP12_ENV,
          '<soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">bad</soap:Text></soap:Reason></soap:Fault>',
        ),
        'application/soap+xml',
        500,
      ),
      ctx,
    )
    expect(f12).toMatchObject({ kind: 'fault', code: 'soap:Sender', reason: 'bad', problems: [] })
  })
  test('X-1: a fault with HTTP 200, and a 1.2 request answered in a 1.1 envelope', () => {
    const f = soap11.decode(xmlAnswer(envelope(SOAP11_ENV, '<soap:Fault><faultcode>soap:Server</faultcode><faultstring>x</faultstring></soap:Fault>')), ctx)
    expect(f.problems.map((p) => p.code)).toEqual(['FAULT_STATUS'])
    const body =
      '<UpdateUserContactInfoResponse xmlns="http://tempuri.org/"><UpdateUserContactInfoResult><response xmlns="" success="true" error=""/></UpdateUserContactInfoResult></UpdateUserContactInfoResponse>'
    const v = soap12.decode(xmlAnswer(envelope(SOAP11_ENV, body), 'text/xml; charset=utf-8'), ctx)
    expect(v.problems.map((p) => p.code).sort()).toEqual(['CONTENT_TYPE', 'ENVELOPE_VERSION'])
  })
  test('an unbound prefix is not well-formed', () => {
    const o = soap11.decode(xmlAnswer('<soap:Envelope><soap:Body/></soap:Envelope>'), ctx)
    expect(o.problems.map((p) => p.code)).toEqual(['NOT_WELL_FORMED'])
  })
})

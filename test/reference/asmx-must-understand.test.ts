/**
 * SOAP header blocks marked mustUnderstand, at the wire, as ASMX answers them (SoapHeaderHandling.SetHeaderMembers):
 * a block the operation does not map ends the call in a MustUnderstand fault (HTTP 500, no detail, nothing runs);
 * mustUnderstand 0/false or left out is ignored as before; a block the operation maps is understood.
 */
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { WebMethodError } from '../../reference/asmx/fault.ts'
import { createAsmxService } from '../../reference/asmx/service.ts'
import type { ServiceSpec } from '../../reference/asmx/types.ts'
import { leaf } from '../../reference/asmx/xml.ts'
import { createHttpServer } from '../../reference/http/server.ts'
import { EO_PATH, EO_NS, EcgridClient, READ_FAULT, parseSoap } from './ecgrid-helpers.ts'
import { NS, SOAP11_NS, SOAP12_NS, XSI_NS, soapEnvelope, startClient, type RefClient, type Value } from './helpers.ts'

let c: RefClient
let ec: EcgridClient
beforeAll(async () => {
  c = await startClient()
  ec = new EcgridClient(c)
})
afterAll(async () => {
  await c.ref.close()
})

const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd'
const security = (attrs: string): string =>
  `<wsse:Security xmlns:wsse="${WSSE}"${attrs}><wsse:UsernameToken><wsse:Username>u</wsse:Username><wsse:Password>p</wsse:Password></wsse:UsernameToken></wsse:Security>`

/** An envelope with `<soap:Header>` holding `blocks`. */
function withHeader(version: '1.1' | '1.2', op: string, params: Record<string, Value>, blocks: string, namespace = NS): string {
  return soapEnvelope(version, op, params, namespace).replace('<soap:Body>', `<soap:Header>${blocks}</soap:Header><soap:Body>`)
}

const XML_DECL = '<?xml version="1.0" encoding="utf-8"?>'
const ENVELOPE_ATTRS = `xmlns:xsi="${XSI_NS}" xmlns:xsd="http://www.w3.org/2001/XMLSchema"`
const mustUnderstand11 = (name: string): string =>
  `${XML_DECL}<soap:Envelope xmlns:soap="${SOAP11_NS}" ${ENVELOPE_ATTRS}><soap:Body><soap:Fault><faultcode>soap:MustUnderstand</faultcode>` +
  `<faultstring>SOAP header ${name} was not understood.</faultstring></soap:Fault></soap:Body></soap:Envelope>`
const mustUnderstand12 = (name: string): string =>
  `${XML_DECL}<soap:Envelope xmlns:soap="${SOAP12_NS}" ${ENVELOPE_ATTRS}><soap:Body><soap:Fault><soap:Code><soap:Value>soap:MustUnderstand</soap:Value></soap:Code>` +
  `<soap:Reason><soap:Text xml:lang="en">SOAP header ${name} was not understood.</soap:Text></soap:Reason></soap:Fault></soap:Body></soap:Envelope>`

/** infoRouter UpdateUserEmail with a header; the address the user has afterwards. */
async function updateEmail(version: '1.1' | '1.2', blocks: string) {
  const jane = await c.provision()
  const ticket = await c.login(jane)
  const email = `new-${jane.userName}@example.com`
  const body = withHeader(version, 'UpdateUserEmail', { authenticationTicket: ticket, UserName: jane.userName, NewEmailAddress: email }, blocks)
  const headers: Record<string, string> =
    version === '1.1'
      ? { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${NS}UpdateUserEmail"` }
      : { 'content-type': `application/soap+xml; charset=utf-8; action="${NS}UpdateUserEmail"` }
  const answer = await c.raw('POST', '/srv.asmx', { headers, body })
  const user = await c.readUser(ticket, jane.userName)
  return { answer, updated: user.Email === email }
}

describe('SOAP 1.1: a header block marked mustUnderstand that the service does not know', () => {
  test('WS-Security with mustUnderstand="1": HTTP 500 soap:MustUnderstand, no detail, the update not made', async () => {
    const { answer, updated } = await updateEmail('1.1', security(` soap:mustUnderstand="1"`))
    expect(answer.status).toBe(500)
    expect(answer.contentType).toBe('text/xml; charset=utf-8')
    expect(answer.body).toBe(mustUnderstand11('Security'))
    expect(updated).toBe(false)
  })

  test.each([
    ['mustUnderstand="true" (ASMX takes 1.2 spellings in a 1.1 envelope too)', ` soap:mustUnderstand="true"`],
    ['the SOAP 1.2 attribute in a 1.1 envelope (ASMX looks in both namespaces)', ` xmlns:s12="${SOAP12_NS}" s12:mustUnderstand="1"`],
    ['an actor other than this service (ASMX acts as every actor)', ` soap:mustUnderstand="1" soap:actor="http://example.com/gateway"`],
    ['the actor "next"', ` soap:mustUnderstand="1" soap:actor="http://schemas.xmlsoap.org/soap/actor/next"`],
  ])('%s: MustUnderstand fault', async (_name, attrs) => {
    const { answer, updated } = await updateEmail('1.1', security(attrs))
    expect(answer.status).toBe(500)
    expect(answer.body).toBe(mustUnderstand11('Security'))
    expect(updated).toBe(false)
  })

  test('the first marked block in document order is named; unmarked blocks before it do not count', async () => {
    const blocks = `<Trace xmlns="urn:x">1</Trace><Audit xmlns="urn:x" soap:mustUnderstand="1" /><Other xmlns="urn:x" soap:mustUnderstand="1" />`
    const { answer } = await updateEmail('1.1', blocks)
    expect(answer.body).toBe(mustUnderstand11('Audit'))
  })

  test.each([
    ['mustUnderstand="0"', security(` soap:mustUnderstand="0"`)],
    ['mustUnderstand="false"', security(` soap:mustUnderstand="false"`)],
    ['no mustUnderstand', security('')],
    ['mustUnderstand without the envelope namespace (not the SOAP attribute)', security(` mustUnderstand="1"`)],
    ['a value that is neither 1 nor true', security(` soap:mustUnderstand="yes"`)],
    ['an empty Header', ''],
  ])('%s: ignored, the update is made', async (_name, blocks) => {
    const { answer, updated } = await updateEmail('1.1', blocks)
    expect(answer.status, answer.body).toBe(200)
    expect(answer.body).toContain('<response success="true" error="" xmlns="" />')
    expect(updated).toBe(true)
  })

  test('parameters are read first: a bad xs:int is the read fault, not MustUnderstand (ECGridOS)', async () => {
    const user = await ec.provision()
    const session = await ec.login(user)
    const body = withHeader('1.1', 'UserInfo', { SessionID: session, UserID: 'abc' }, security(` soap:mustUnderstand="1"`), EO_NS)
    const answer = await c.raw('POST', EO_PATH, { headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${EO_NS}UserInfo"` }, body })
    expect(answer.status).toBe(500)
    expect(parseSoap(answer, 'UserInfo').fault?.reason).toMatch(READ_FAULT)
  })
})

describe('SOAP 1.2: a header block marked mustUnderstand that the service does not know', () => {
  test.each([['true'], ['1']])(
    'env:mustUnderstand="%s": HTTP 500 soap:MustUnderstand in the 1.2 envelope, no Detail, no NotUnderstood block',
    async (value) => {
      const { answer, updated } = await updateEmail('1.2', security(` soap:mustUnderstand="${value}"`))
      expect(answer.status).toBe(500)
      expect(answer.contentType).toBe('application/soap+xml; charset=utf-8')
      expect(answer.body).toBe(mustUnderstand12('Security'))
      expect(updated).toBe(false)
    },
  )

  test('a role other than this node, even role "none": ASMX still faults (it never looks at role)', async () => {
    for (const role of ['http://example.com/gateway', `${SOAP12_NS}/role/none`]) {
      const { answer } = await updateEmail('1.2', security(` soap:mustUnderstand="true" soap:role="${role}"`))
      expect(answer.body).toBe(mustUnderstand12('Security'))
    }
  })

  test.each([['false'], ['0']])('env:mustUnderstand="%s": ignored, the update is made', async (value) => {
    const { answer, updated } = await updateEmail('1.2', security(` soap:mustUnderstand="${value}"`))
    expect(answer.status).toBe(200)
    expect(updated).toBe(true)
  })
})

describe('a header block the operation maps is understood, mustUnderstand or not', () => {
  const SPEC: ServiceSpec = {
    name: 'H',
    path: '/h.asmx',
    namespace: 'urn:h/',
    operations: [{ name: 'Ping', params: [], result: 's:boolean', soapHeaders: ['AuthHeader'] }],
    httpProtocols: false,
  }
  const mount = createAsmxService({
    spec: SPEC,
    handlers: { Ping: () => leaf('PingResult', 'true') },
    context: () => ({}),
    internalError: () => ({ kind: 'fault', fault: new WebMethodError('x').fault }),
  })
  const server = createHttpServer({ maxRequestBytes: 100_000, mounts: [mount] })
  let url = ''
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  const ping = async (blocks: string) => {
    const body = withHeader('1.1', 'Ping', {}, blocks, 'urn:h/')
    const res = await fetch(`${url}/h.asmx`, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"urn:h/Ping"' }, body })
    return { status: res.status, body: await res.text() }
  }

  test('AuthHeader in the service namespace with mustUnderstand="1" is understood; the same name elsewhere, or another block, is not', async () => {
    const known = await ping(`<AuthHeader xmlns="urn:h/" soap:mustUnderstand="1"><Key>k</Key></AuthHeader>`)
    expect(known.status).toBe(200)
    expect(known.body).toContain('<PingResult>true</PingResult>')
    const foreign = await ping(`<AuthHeader xmlns="urn:other" soap:mustUnderstand="1" />`)
    expect(foreign.status).toBe(500)
    expect(foreign.body).toContain('<faultstring>SOAP header AuthHeader was not understood.</faultstring>')
    const both = await ping(`<AuthHeader xmlns="urn:h/" soap:mustUnderstand="1" />${security(` soap:mustUnderstand="1"`)}`)
    expect(both.body).toContain('<faultstring>SOAP header Security was not understood.</faultstring>')
  })
})

import * as soap from 'soap'
import { XMLParser } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startClient, type RefClient } from './helpers.ts'
import { EO_PATH, EcgridClient, GUID, type EcFixture } from './ecgrid-helpers.ts'

let c: RefClient
let ec: EcgridClient
let user: EcFixture
let session: string
beforeAll(async () => {
  c = await startClient()
  ec = new EcgridClient(c)
  user = await ec.provision({ role: 'MailboxAdmin' })
  session = await ec.login(user)
})
afterAll(async () => {
  await c.ref.close()
})

type Node = Record<string, unknown>
const arr = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : v === undefined ? [] : [v as Node])
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: false })

describe('ECGridOS ?WSDL', () => {
  test('service ECGridOS with SOAP 1.1 and 1.2 ports only, document/literal, qualified schema', async () => {
    const answer = await c.raw('GET', `${EO_PATH}?WSDL`)
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe('text/xml; charset=utf-8')
    const defs = (parser.parse(answer.body) as Node)['wsdl:definitions'] as Node
    expect(defs.targetNamespace).toBe('http://www.ecgridos.net/')
    const service = defs['wsdl:service'] as Node
    expect(service.name).toBe('ECGridOS')
    expect(arr(service['wsdl:port']).map((p) => p.name)).toEqual(['ECGridOSSoap', 'ECGridOSSoap12'])
    expect(arr(defs['wsdl:binding']).map((b) => b.name)).toEqual(['ECGridOSSoap', 'ECGridOSSoap12'])
    expect(answer.body).not.toContain('HttpGet')
    expect(answer.body).toContain('soapAction="http://www.ecgridos.net/UserUpdate" style="document"')
    const schema = (defs['wsdl:types'] as Node)['s:schema'] as Node
    expect(schema.elementFormDefault).toBe('qualified')

    const elements = arr(schema['s:element'])
    const fields = (name: string): Array<[unknown, unknown, unknown]> =>
      arr(((elements.find((e) => e.name === name)!['s:complexType'] as Node)['s:sequence'] as Node)['s:element']).map((e) => [e.name, e.type, e.minOccurs])
    expect(fields('UserUpdate')).toEqual([
      ['SessionID', 's:string', '0'],
      ['UserID', 's:int', '1'],
      ['FirstName', 's:string', '0'],
      ['LastName', 's:string', '0'],
      ['Email', 's:string', '0'],
    ])
    expect(fields('UserUpdateResponse')).toEqual([['UserUpdateResult', 'tns:UserIDInfo', '0']])
    expect(fields('UserInfo')).toEqual([
      ['SessionID', 's:string', '0'],
      ['UserID', 's:int', '1'],
    ])
    expect(fields('LoginResponse')).toEqual([['LoginResult', 's:string', '0']])
    expect(fields('LogoutResponse')).toEqual([['LogoutResult', 's:boolean', '1']])
    expect(fields('Login').map(([n]) => n)).toEqual([
      'UserName',
      'Password',
      'SenderSolution',
      'SenderVersion',
      'SenderCompanyName',
      'SenderContact',
      'SenderContactEmail',
    ])

    const info = schema['s:complexType'] as Node
    expect(info.name).toBe('UserIDInfo')
    expect(arr((info['s:sequence'] as Node)['s:element']).map((e) => [e.name, e.type])).toEqual([
      ['UserID', 's:int'],
      ['Login', 's:string'],
      ['Email', 's:string'],
      ['FirstName', 's:string'],
      ['LastName', 's:string'],
      ['NetworkID', 's:int'],
      ['MailboxID', 's:int'],
      ['AuthLevel', 'tns:AuthLevel'],
      ['Status', 'tns:Status'],
      ['Created', 's:dateTime'],
    ])
    const enums = Object.fromEntries(arr(schema['s:simpleType']).map((t) => [t.name, arr((t['s:restriction'] as Node)['s:enumeration']).map((e) => e.value)]))
    expect(enums).toEqual({
      AuthLevel: ['NoChange', 'Root', 'TechOps', 'NetOps', 'NetworkAdmin', 'NetworkUser', 'MailboxAdmin', 'MailboxUser', 'TPUser', 'General'],
      Status: ['Development', 'Active', 'Preproduction', 'Suspended', 'Terminated'],
    })
  })
})

type Callback = (err: unknown, result: unknown) => void
type PortMethod = (args: Record<string, unknown>, cb: Callback) => void

function callPort(client: soap.Client, port: string, op: string, args: Record<string, unknown>): Promise<unknown> {
  const service = (client as unknown as Record<string, Record<string, Record<string, PortMethod>>>).ECGridOS
  const method = service?.[port]?.[op]
  if (method === undefined) throw new Error(`no ${port}.${op}`)
  return new Promise((resolve, reject) => method(args, (err, result) => (err ? reject(err) : resolve(result))))
}

describe('a node-soap client generated from ?WSDL', () => {
  test('describes both ports and UserUpdate with its five parameters', async () => {
    const client = await soap.createClientAsync(`${c.url}${EO_PATH}?WSDL`)
    const description = client.describe() as Record<string, Record<string, Record<string, { input: Record<string, string> }>>>
    expect(Object.keys(description.ECGridOS ?? {})).toEqual(['ECGridOSSoap', 'ECGridOSSoap12'])
    expect(Object.keys(description.ECGridOS?.ECGridOSSoap?.UserUpdate?.input ?? {})).toEqual(['SessionID', 'UserID', 'FirstName', 'LastName', 'Email'])
  })

  test('logs in and calls UserUpdate over SOAP 1.1; UserInfo shows the change', async () => {
    const client = await soap.createClientAsync(`${c.url}${EO_PATH}?WSDL`)
    const [login] = (await client.LoginAsync({ UserName: user.login, Password: user.password })) as [{ LoginResult: string }]
    expect(login.LoginResult).toMatch(GUID)
    const [result] = (await client.UserUpdateAsync({
      SessionID: login.LoginResult,
      UserID: user.userId,
      FirstName: 'Node',
      LastName: 'Soap11',
      Email: 'node11@example.com',
    })) as [{ UserUpdateResult: Record<string, unknown> }]
    expect(result.UserUpdateResult).toMatchObject({
      UserID: user.userId,
      Login: user.login,
      FirstName: 'Node',
      LastName: 'Soap11',
      Email: 'node11@example.com',
      AuthLevel: 'MailboxAdmin',
      Status: 'Active',
    })
    expect(client.lastRequestHeaders?.['Content-Type']).toMatch(/^text\/xml/)
    expect(await ec.userInfo(session, user.userId)).toMatchObject({ FirstName: 'Node', LastName: 'Soap11', Email: 'node11@example.com' })
  })

  test('calls UserUpdate over SOAP 1.2 through the ECGridOSSoap12 port', async () => {
    const client = await soap.createClientAsync(`${c.url}${EO_PATH}?WSDL`, { forceSoap12Headers: true })
    const result = (await callPort(client, 'ECGridOSSoap12', 'UserUpdate', {
      SessionID: session,
      UserID: user.userId,
      FirstName: 'Node',
      LastName: 'Soap12',
      Email: 'node12@example.com',
    })) as { UserUpdateResult: Record<string, unknown> }
    expect(result.UserUpdateResult).toMatchObject({ UserID: user.userId, LastName: 'Soap12', Email: 'node12@example.com' })
    expect(String(client.lastRequestHeaders?.['Content-Type'])).toContain('application/soap+xml')
    expect(client.lastRequest).toContain('http://www.w3.org/2003/05/soap-envelope')
    expect(await ec.userInfo(session, user.userId)).toMatchObject({ LastName: 'Soap12', Email: 'node12@example.com' })
  })

  test('an ECGridOS fault reaches the node-soap caller with its detail', async () => {
    const client = await soap.createClientAsync(`${c.url}${EO_PATH}?WSDL`)
    const error = (await client.UserUpdateAsync({ SessionID: session, UserID: 999999, FirstName: 'x' }).catch((e: unknown) => e)) as {
      root?: { Envelope?: { Body?: { Fault?: Record<string, unknown> } } }
    }
    expect(error.root?.Envelope?.Body?.Fault).toMatchObject({
      faultcode: 'soap:Client',
      faultstring: 'User not found',
      detail: { ECGridOSSOAPErrorCode: 'ObjectNotFound' },
    })
  })
})

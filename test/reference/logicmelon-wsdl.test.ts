import * as soap from 'soap'
import { XMLParser } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startClient, type RefClient } from './helpers.ts'
import { CUSER_ORDER, LM_PATH, LmClient, credentials, type LmFixture } from './logicmelon-helpers.ts'

let c: RefClient
let lm: LmClient
let admin: LmFixture
let target: LmFixture
beforeAll(async () => {
  c = await startClient()
  lm = new LmClient(c)
  admin = await lm.provision({ role: 'Administrator', firstName: 'Ann' })
  target = await lm.provision({ role: 'Recruiter', group: admin.group, userAddress1: '1 Main St' })
})
afterAll(async () => {
  await c.ref.close()
})

type Node = Record<string, unknown>
const arr = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : v === undefined ? [] : [v as Node])
const wsdlParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: false })

describe('LogicMelon ?WSDL', () => {
  test('service Administration, SOAP 1.1 and 1.2 ports only, each operation with one Request of its own complex type', async () => {
    const answer = await c.raw('GET', `${LM_PATH}?WSDL`)
    expect(answer.status).toBe(200)
    expect(answer.contentType).toBe('text/xml; charset=utf-8')
    const defs = (wsdlParser.parse(answer.body) as Node)['wsdl:definitions'] as Node
    expect(defs.targetNamespace).toBe('http://api.logicmelon.com/')
    const service = defs['wsdl:service'] as Node
    expect(service.name).toBe('Administration')
    expect(arr(service['wsdl:port']).map((p) => p.name)).toEqual(['AdministrationSoap', 'AdministrationSoap12'])
    expect(answer.body).not.toContain('HttpGet')
    expect(answer.body).toContain('soapAction="http://api.logicmelon.com/UserUpdate" style="document"')

    const schema = (defs['wsdl:types'] as Node)['s:schema'] as Node
    expect(schema.elementFormDefault).toBe('qualified')
    const sequence = (node: Node | undefined): Array<[unknown, unknown, unknown]> => {
      const complex = (node?.['s:complexType'] ?? node) as Node | undefined
      return arr((complex?.['s:sequence'] as Node | undefined)?.['s:element']).map((e) => [e.name, e.type, e.minOccurs])
    }
    const element = (name: string) => arr(schema['s:element']).find((e) => e.name === name)
    const type = (name: string) => arr(schema['s:complexType']).find((t) => t.name === name)
    for (const op of ['UserList', 'UserUpdate', 'UserAdd', 'UserDelete']) {
      expect(sequence(element(op)), op).toEqual([['Request', `tns:${op}Request`, '0']])
    }
    expect(sequence(element('UserListResponse'))).toEqual([['UserListResult', 'tns:ArrayOfCUser', '0']])
    expect(sequence(element('UserUpdateResponse'))).toEqual([['UserUpdateResult', 'tns:CUser', '0']])
    expect(sequence(element('UserAddResponse'))).toEqual([['UserAddResult', 'tns:CUser', '0']])
    expect(sequence(element('UserDeleteResponse'))).toEqual([['UserDeleteResult', 's:boolean', '1']])

    const cUser = sequence(type('CUser'))
    expect(cUser.map(([n]) => n)).toEqual(CUSER_ORDER)
    const kind = (n: unknown): [string, string] =>
      ['UserID', 'OrganisationID', 'UserRoleID'].includes(String(n))
        ? ['s:int', '1']
        : String(n).startsWith('BBD') || String(n).startsWith('Daily')
          ? ['s:boolean', '1']
          : ['s:string', '0']
    for (const [n, t, min] of cUser) expect([t, min], String(n)).toEqual(kind(n))

    const creds = [
      ['sCultureID', 's:string', '0'],
      ['sAPIKey', 's:string', '0'],
      ['sUsername', 's:string', '0'],
      ['sPassword', 's:string', '0'],
    ]
    expect(sequence(type('UserListRequest'))).toEqual([...creds, ['sStartOrganisation', 's:string', '0'], ['sUserIdentifier', 's:string', '0']])
    expect(sequence(type('UserUpdateRequest'))).toEqual([...creds, ['User', 'tns:CUser', '0']])
    expect(sequence(type('UserAddRequest'))).toEqual([...creds, ['sParentOrganisationIdentifier', 's:string', '0'], ['User', 'tns:CUser', '0']])
    expect(sequence(type('UserDeleteRequest'))).toEqual([...creds, ['User', 'tns:CUser', '0']])
    const item = (type('ArrayOfCUser')!['s:sequence'] as Node)['s:element'] as Node
    expect(item).toEqual({ minOccurs: '0', maxOccurs: 'unbounded', name: 'CUser', nillable: 'true', type: 'tns:CUser' })
  })
})

type Callback = (err: unknown, result: unknown) => void
type PortMethod = (args: Record<string, unknown>, cb: Callback) => void

function callPort(client: soap.Client, port: string, op: string, args: Record<string, unknown>): Promise<unknown> {
  const service = (client as unknown as Record<string, Record<string, Record<string, PortMethod>>>).Administration
  const method = service?.[port]?.[op]
  if (method === undefined) throw new Error(`no ${port}.${op}`)
  return new Promise((resolve, reject) => method(args, (err, result) => (err ? reject(err) : resolve(result))))
}

// node-soap caches a parsed WSDL per URL with the options of its first client: each client gets its own.
const client = (options: soap.IOptions = {}) => soap.createClientAsync(`${c.url}${LM_PATH}?WSDL`, { disableCache: true, ...options })
const request = (extra: Record<string, unknown> = {}) => ({ Request: { ...credentials(admin), ...extra } })

describe('a node-soap client generated from ?WSDL', () => {
  test('describes both ports; UserUpdate takes Request { sCultureID, sAPIKey, sUsername, sPassword, User }', async () => {
    const description = (await client()).describe() as Record<string, Record<string, Record<string, { input: Record<string, Record<string, unknown>> }>>>
    expect(Object.keys(description.Administration ?? {})).toEqual(['AdministrationSoap', 'AdministrationSoap12'])
    const input = description.Administration?.AdministrationSoap?.UserUpdate?.input
    expect(Object.keys(input ?? {})).toEqual(['Request'])
    expect(Object.keys(input?.Request ?? {})).toEqual(expect.arrayContaining(['sCultureID', 'sAPIKey', 'sUsername', 'sPassword', 'User']))
  })

  test('calls UserUpdate over SOAP 1.1 with typed values; UserList shows the change', async () => {
    const soap11 = await client()
    const [result] = (await soap11.UserUpdateAsync(request({ User: { UserID: target.userId, FirstName: 'Node', BBDExpiredEmail: true } }))) as [
      { UserUpdateResult: Record<string, unknown> },
    ]
    expect(result.UserUpdateResult).toMatchObject({
      UserID: target.userId,
      OrganisationID: target.organisationId,
      FirstName: 'Node',
      UserAddress1: '1 Main St',
      UserRoleID: 2,
      BBDExpiredEmail: true,
      BBDLiveAdvertEmail: false,
      Password: '',
    })
    expect(soap11.lastRequestHeaders?.['Content-Type']).toMatch(/^text\/xml/)
    expect(await lm.read(admin, target.userId)).toMatchObject({ FirstName: 'Node', BBDExpiredEmail: 'true' })
  })

  test('calls UserUpdate over SOAP 1.2 through the AdministrationSoap12 port', async () => {
    const soap12 = await client({ forceSoap12Headers: true })
    const result = (await callPort(soap12, 'AdministrationSoap12', 'UserUpdate', request({ User: { UserID: target.userId, LastName: 'Twelve' } }))) as {
      UserUpdateResult: Record<string, unknown>
    }
    expect(result.UserUpdateResult).toMatchObject({ UserID: target.userId, LastName: 'Twelve' })
    expect(String(soap12.lastRequestHeaders?.['Content-Type'])).toContain('application/soap+xml')
    expect(soap12.lastRequest).toContain('http://www.w3.org/2003/05/soap-envelope')
    expect((await lm.read(admin, target.userId)).LastName).toBe('Twelve')
  })

  test('UserList answers CUser[]; UserAdd and UserDelete work', async () => {
    const soap11 = await client()
    const [list] = (await soap11.UserListAsync(request())) as [{ UserListResult: { CUser: Array<Record<string, unknown>> } }]
    expect(list.UserListResult.CUser.map((u) => u.UserID)).toEqual([admin.userId, target.userId])
    const [added] = (await soap11.UserAddAsync(
      request({ sParentOrganisationIdentifier: admin.organisationIdentifier, User: { Username: 'node-soap-added' } }),
    )) as [{ UserAddResult: Record<string, unknown> }]
    expect(added.UserAddResult).toMatchObject({ Username: 'node-soap-added', UserRoleID: 2 })
    const [deleted] = (await soap11.UserDeleteAsync(request({ User: { UserID: added.UserAddResult.UserID } }))) as [{ UserDeleteResult: boolean }]
    expect(deleted.UserDeleteResult).toBe(true)
  })

  test('a LogicMelon fault reaches the node-soap caller', async () => {
    const soap11 = await client()
    const error = (await soap11.UserUpdateAsync(request({ sPassword: 'wrong', User: { UserID: target.userId } })).catch((e: unknown) => e)) as {
      root?: { Envelope?: { Body?: { Fault?: Record<string, unknown> } } }
    }
    expect(error.root?.Envelope?.Body?.Fault).toMatchObject({
      faultcode: 'soap:Server',
      faultstring: 'Server was unable to process request. ---> Authentication failed.',
    })
  })
})

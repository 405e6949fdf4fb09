import * as soap from 'soap'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startClient, type Fixture, type RefClient } from './helpers.ts'

let c: RefClient
let jane: Fixture
let ticket: string
beforeAll(async () => {
  c = await startClient()
  jane = await c.provision({ mobileNumber: '+15550000000' })
  ticket = await c.login(jane)
})
afterAll(async () => {
  await c.ref.close()
})

type Callback = (err: unknown, result: unknown) => void
type PortMethod = (args: Record<string, unknown>, cb: Callback) => void

function callPort(client: soap.Client, port: string, op: string, args: Record<string, unknown>): Promise<unknown> {
  const service = (client as unknown as Record<string, Record<string, Record<string, PortMethod>>>).srv
  const method = service?.[port]?.[op]
  if (method === undefined) throw new Error(`no ${port}.${op}`)
  return new Promise((resolve, reject) => method(args, (err, result) => (err ? reject(err) : resolve(result))))
}

describe('a node-soap client generated from /srv.asmx?WSDL', () => {
  test('describes the service srv with its SOAP ports and exact parameter names', async () => {
    const client = await soap.createClientAsync(`${c.url}/srv.asmx?WSDL`)
    const description = client.describe() as Record<string, Record<string, Record<string, { input: Record<string, string> }>>>
    expect(Object.keys(description.srv ?? {})).toEqual(expect.arrayContaining(['srvSoap', 'srvSoap12']))
    expect(Object.keys(description.srv?.srvSoap?.UpdateUserContactInfo?.input ?? {})).toEqual([
      'authenticationTicket',
      'userName',
      'emailAddress',
      'mobileNumber',
    ])
  })

  test('calls UpdateUserContactInfo over SOAP 1.1; nil keeps the mobile; GetUser shows the change', async () => {
    const client = await soap.createClientAsync(`${c.url}/srv.asmx?WSDL`, { handleNilAsNull: true })
    const [result] = (await client.UpdateUserContactInfoAsync({
      authenticationTicket: ticket,
      userName: jane.userName,
      emailAddress: 'soap11@example.com',
      mobileNumber: null,
    })) as [unknown]
    expect(result).toEqual({ UpdateUserContactInfoResult: { response: { attributes: { success: 'true', error: '' } } } })
    expect(client.lastRequestHeaders?.['Content-Type']).toMatch(/^text\/xml/)
    expect(client.lastRequest).toContain('xsi:nil="true"')
    expect(await c.readUser(ticket, jane.userName)).toMatchObject({ Email: 'soap11@example.com', MobileNumber: '+15550000000' })
  })

  test('calls UpdateUserContactInfo over SOAP 1.2 through the srvSoap12 port; GetUser shows the change', async () => {
    const client = await soap.createClientAsync(`${c.url}/srv.asmx?WSDL`, { forceSoap12Headers: true })
    const result = await callPort(client, 'srvSoap12', 'UpdateUserContactInfo', {
      authenticationTicket: ticket,
      userName: jane.userName,
      emailAddress: 'soap12@example.com',
      mobileNumber: '+44 7700 900000',
    })
    expect(result).toEqual({ UpdateUserContactInfoResult: { response: { attributes: { success: 'true', error: '' } } } })
    expect(String(client.lastRequestHeaders?.['Content-Type'])).toContain('application/soap+xml')
    expect(client.lastRequest).toContain('http://www.w3.org/2003/05/soap-envelope')
    expect(await c.readUser(ticket, jane.userName)).toMatchObject({ Email: 'soap12@example.com', MobileNumber: '+44 7700 900000' })

    const read = (await callPort(client, 'srvSoap12', 'GetUser', { authenticationTicket: ticket, UserName: jane.userName })) as {
      GetUserResult: { response: { User: { attributes: Record<string, string> } } }
    }
    expect(read.GetUserResult.response.User.attributes).toMatchObject({ Email: 'soap12@example.com', MobileNumber: '+44 7700 900000' })
  })
})

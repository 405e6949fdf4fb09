import { afterAll, beforeAll, expect, test } from 'vitest'
import { startReference, type RunningReference } from '../../reference/index.ts'
import { GeneratedClients } from '../../src/engine/generated-client.ts'

let ref: RunningReference
beforeAll(async () => { ref = await startReference() })
afterAll(() => ref.close())

test('a SOAP 1.1 and a SOAP 1.2 client of one WSDL each keep their own SOAP version (node-soap shares parsed WSDLs)', async () => {
  const clients = new GeneratedClients(5000)
  const wsdl = `${ref.url}/srv.asmx?WSDL`
  const params = [['UID', 'nobody'], ['PWD', 'x']] as const
  const v12 = await clients.call(wsdl, 'soap12', 'AuthenticateUser', params)
  const v11 = await clients.call(wsdl, 'soap11', 'AuthenticateUser', params)
  const again12 = await clients.call(wsdl, 'soap12', 'AuthenticateUser', params)
  expect(v11.request.headers['content-type']).toMatch(/^text\/xml/)
  expect(v11.request.body).toContain('http://schemas.xmlsoap.org/soap/envelope/')
  for (const r of [v12, again12]) {
    expect(r.request.headers['content-type']).toMatch(/^application\/soap\+xml/)
    expect(r.request.body).toContain('http://www.w3.org/2003/05/soap-envelope')
  }
})

test('each request waits for its turn (the target rate limit holds for generated clients too)', async () => {
  let turns = 0
  const clients = new GeneratedClients(5000, async () => { turns++ })
  await clients.call(`${ref.url}/srv.asmx?WSDL`, 'soap11', 'AuthenticateUser', [['UID', 'nobody'], ['PWD', 'x']])
  await clients.call(`${ref.url}/srv.asmx?WSDL`, 'soap11', 'AuthenticateUser', [['UID', 'nobody'], ['PWD', 'x']])
  // The WSDL once, then each call.
  expect(turns).toBe(3)
})

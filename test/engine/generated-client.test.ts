import { afterAll, beforeAll, expect, test } from 'vitest'
import { startReference, type RunningReference } from '../../reference/index.ts'
import { GeneratedClients } from '../../src/engine/generated-client.ts'
import { Transport } from '../../src/transport/index.ts'

let ref: RunningReference
beforeAll(async () => {
  ref = await startReference()
})
afterAll(() => ref.close())

test('a SOAP 1.1 and a SOAP 1.2 client of one WSDL each keep their own SOAP version (node-soap shares parsed WSDLs)', async () => {
  const clients = new GeneratedClients(new Transport({ timeoutMs: 5000, maxBodyBytes: 1_000_000, connections: 2 }))
  const wsdl = `${ref.url}/srv.asmx?WSDL`
  const params = [
    ['UID', 'nobody'],
    ['PWD', 'x'],
  ] as const
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
  const starts: number[] = []
  // node-soap sends through the transport, whose pace spaces request starts 1/rps apart.
  const transport = new Transport({ timeoutMs: 5000, maxBodyBytes: 1_000_000, connections: 2, requestsPerSecond: 10 }, () => starts.push(performance.now()))
  const clients = new GeneratedClients(transport)
  const t0 = performance.now()
  await clients.call(`${ref.url}/srv.asmx?WSDL`, 'soap11', 'AuthenticateUser', [
    ['UID', 'nobody'],
    ['PWD', 'x'],
  ])
  await clients.call(`${ref.url}/srv.asmx?WSDL`, 'soap11', 'AuthenticateUser', [
    ['UID', 'nobody'],
    ['PWD', 'x'],
  ])
  // The WSDL once, then each call: three requests, the third no sooner than 2/rps after the first.
  expect(starts).toHaveLength(3)
  expect(performance.now() - t0).toBeGreaterThanOrEqual(195)
  await transport.close()
})

test('prepare builds the client ahead: the calls after it fetch no WSDL', async () => {
  const urls: string[] = []
  const transport = new Transport({ timeoutMs: 5000, maxBodyBytes: 1_000_000, connections: 2 })
  const send = transport.send.bind(transport)
  transport.send = (req, ...rest) => {
    urls.push(`${req.method} ${req.url}`)
    return send(req, ...rest)
  }
  const clients = new GeneratedClients(transport)
  const wsdl = `${ref.url}/srv.asmx?WSDL`
  await clients.prepare(wsdl, 'soap11')
  expect(urls).toEqual([`GET ${wsdl}`])
  await clients.call(wsdl, 'soap11', 'AuthenticateUser', [
    ['UID', 'nobody'],
    ['PWD', 'x'],
  ])
  expect(urls).toEqual([`GET ${wsdl}`, `POST ${ref.url}/srv.asmx`])
  await transport.close()
})

test('a client that could not be prepared is built again by the call, which says why it cannot be', async () => {
  let fetches = 0
  const transport = new Transport({ timeoutMs: 5000, maxBodyBytes: 1_000_000, connections: 2 })
  const send = transport.send.bind(transport)
  transport.send = (req, ...rest) => {
    fetches++
    return send(req, ...rest)
  }
  const clients = new GeneratedClients(transport)
  const missing = `${ref.url}/no-such-service.asmx?WSDL`
  await expect(clients.prepare(missing, 'soap11')).resolves.toBeUndefined()
  await expect(clients.call(missing, 'soap11', 'AuthenticateUser', [['UID', 'nobody']])).rejects.toMatchObject({ code: 'WSDL_UNUSABLE' })
  expect(fetches).toBe(2)
  await transport.close()
})

test("a call's answer carries when its request was on the wire, as the transport saw it (not the wait for a slot, nor node-soap's work)", async () => {
  const wire: Array<{ startedAt: string; durationMs: number; url: string }> = []
  const transport = new Transport({ timeoutMs: 5000, maxBodyBytes: 1_000_000, connections: 2 }, (e) =>
    wire.push({ startedAt: e.startedAt, durationMs: e.durationMs, url: e.request.url }),
  )
  const clients = new GeneratedClients(transport)
  const params = [
    ['UID', 'nobody'],
    ['PWD', 'x'],
  ] as const
  for (const binding of ['soap11', 'soap12'] as const) {
    const r = await clients.call(`${ref.url}/srv.asmx?WSDL`, binding, 'AuthenticateUser', params)
    const call = wire.at(-1)!
    expect(call.url).not.toMatch(/wsdl/i)
    expect(r.answer.sent).toEqual({ startedAt: call.startedAt, durationMs: call.durationMs })
  }
  await transport.close()
})

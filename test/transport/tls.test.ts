import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer, type ServerOptions } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startReference, type RunningReference } from '../../reference/index.ts'
import type { WireAnswer } from '../../src/bindings/types.ts'
import { GeneratedClients } from '../../src/engine/generated-client.ts'
import { ConformError } from '../../src/errors.ts'
import { proxyFromEnv, type ProxySettings } from '../../src/net/dispatcher.ts'
import { loadTlsMaterial } from '../../src/net/tls-material.ts'
import type { TlsConfig } from '../../src/spec/model.ts'
import { Transport } from '../../src/transport/index.ts'
import { makePki, type TestPki } from '../helpers/certs.ts'
import { startConnectProxy, type TestProxy } from '../helpers/connect-proxy.ts'

/** Real TLS on loopback: every certificate is made for this run; failures must say what to fix. */
let pki: TestPki
const servers: Server[] = []
const url: Record<string, string> = {}
let proxy: TestProxy
let ref: RunningReference

async function listen(server: Server): Promise<number> {
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return (server.address() as AddressInfo).port
}

async function https(name: string, opts: ServerOptions): Promise<void> {
  const server = createServer(opts, (req, res) => {
    const peer = (req.socket as TLSSocket).getPeerCertificate()
    res.end(peer?.subject ? `hello ${peer.subject.CN}` : 'hello')
  })
  url[name] = `https://127.0.0.1:${await listen(server)}/`
}

beforeAll(async () => {
  pki = makePki()
  const cert = pki.pem(pki.serverCert)
  const key = pki.pem(pki.serverKey)
  await https('good', { cert, key })
  await https('expired', { cert: pki.pem(pki.expiredCert), key })
  await https('wrongHost', { cert: pki.pem(pki.wrongHostCert), key })
  await https('mtls', { cert, key, ca: pki.pem(pki.ca), requestCert: true, rejectUnauthorized: true })
  url.plain = `https://127.0.0.1:${await listen(createHttpServer((_, res) => res.end('plain')))}/`
  proxy = await startConnectProxy()
  ref = await startReference({ tls: { cert, key } })
})
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections()
    s.close()
  }
  await proxy.close()
  await ref.close()
})

function transport(tls?: TlsConfig, proxySettings?: ProxySettings, env: NodeJS.ProcessEnv = {}): Transport {
  return new Transport({ timeoutMs: 5000, maxBodyBytes: 100_000, connections: 2 }, undefined, {
    tls: loadTlsMaterial(tls, env),
    ...(proxySettings ? { proxy: proxySettings } : {}),
  })
}

async function get(t: Transport, target: string): Promise<WireAnswer | ConformError> {
  try {
    return await t.send({ method: 'GET', url: target, headers: {} })
  } catch (e) {
    if (e instanceof ConformError) return e
    throw e
  } finally {
    await t.close()
  }
}

function failure(result: WireAnswer | ConformError): ConformError {
  expect(result, 'expected a failure').toBeInstanceOf(ConformError)
  const e = result as ConformError
  expect(e.category).toBe('transport')
  return e
}

describe('certificates of the target', () => {
  test('verified against the CA given in tls.ca: the answer arrives', async () => {
    expect(await get(transport({ ca: [pki.ca] }), url.good!)).toMatchObject({ status: 200, body: 'hello' })
  })
  test('without the CA: TRANSPORT_TLS_UNTRUSTED, saying to add it with tls.ca or NODE_EXTRA_CA_CERTS', async () => {
    const e = failure(await get(transport(), url.good!))
    expect(e.code).toBe('TRANSPORT_TLS_UNTRUSTED')
    expect(e.message).toMatch(
      /certificate signed by an unknown authority \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\): add the CA .* with tls\.ca in the target, or NODE_EXTRA_CA_CERTS/,
    )
  })
  test('tls.insecure: true skips verification', async () => {
    expect(await get(transport({ insecure: true }), url.good!)).toMatchObject({ status: 200 })
  })
  test('an expired certificate is named as such, even with the right CA', async () => {
    const e = failure(await get(transport({ ca: [pki.ca] }), url.expired!))
    expect(e.code).toBe('TRANSPORT_TLS_EXPIRED')
    expect(e.message).toMatch(/certificate has expired \(CERT_HAS_EXPIRED\)/)
  })
  test('a certificate for another host name is named as such', async () => {
    const e = failure(await get(transport({ ca: [pki.ca] }), url.wrongHost!))
    expect(e.code).toBe('TRANSPORT_TLS_HOSTNAME')
    expect(e.message).toMatch(/not issued for that name \(ERR_TLS_CERT_ALTNAME_INVALID/)
  })
  test('https:// to a plain-HTTP port says the server does not speak TLS there', async () => {
    const e = failure(await get(transport(), url.plain!))
    expect(e.code).toBe('TRANSPORT_TLS_HANDSHAKE')
    expect(e.message).toMatch(/does not speak TLS there .*is baseUrl https:\/\/ for a plain-HTTP port/)
  })
})

describe('client certificates (mTLS)', () => {
  test('refused without one: "client certificate required: set tls.cert and tls.key"', async () => {
    const e = failure(await get(transport({ ca: [pki.ca] }), url.mtls!))
    expect(e.code).toBe('TRANSPORT_TLS_CLIENT_CERT')
    expect(e.message).toMatch(/client certificate required: .*set tls\.cert and tls\.key/)
  })
  test('accepted with one the server trusts (key from a file named by an environment variable)', async () => {
    const t = transport({ ca: [pki.ca], cert: pki.clientCert, key: '${env:CLIENT_KEY_FILE}' }, undefined, { CLIENT_KEY_FILE: pki.clientKey })
    expect(await get(t, url.mtls!)).toMatchObject({ status: 200, body: 'hello client' })
  })
  test('accepted with certificate and key as PEM text in environment variables', async () => {
    const t = transport({ ca: [pki.ca], cert: '${env:CLIENT_CERT}', key: '${env:CLIENT_KEY}' }, undefined, {
      CLIENT_CERT: pki.pem(pki.clientCert),
      CLIENT_KEY: pki.pem(pki.clientKey),
    })
    expect(await get(t, url.mtls!)).toMatchObject({ status: 200, body: 'hello client' })
  })
  test('one from a CA the server does not trust: "rejected the client certificate"', async () => {
    const e = failure(await get(transport({ ca: [pki.ca], cert: pki.strangerCert, key: pki.strangerKey }), url.mtls!))
    expect(e.code).toBe('TRANSPORT_TLS_CLIENT_CERT')
    expect(e.message).toMatch(/rejected the client certificate/)
  })
})

describe('proxies', () => {
  test('HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read from the environment; lower case wins, empty is unset', () => {
    expect(proxyFromEnv({})).toBeUndefined()
    expect(proxyFromEnv({ HTTPS_PROXY: '', https_proxy: '' })).toBeUndefined()
    expect(proxyFromEnv({ HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:1', no_proxy: '', NO_PROXY: 'a.example' })).toEqual({
      httpsProxy: 'http://lower:1',
      noProxy: 'a.example',
    })
    expect(proxyFromEnv({ HTTP_PROXY: 'http://p:3128' })).toEqual({ httpProxy: 'http://p:3128' })
  })
  test('an https target through a CONNECT proxy: reached, and the proxy saw the tunnel', async () => {
    proxy.seen.length = 0
    expect(await get(transport({ ca: [pki.ca] }, { httpsProxy: proxy.url }), url.good!)).toMatchObject({ status: 200 })
    expect(proxy.seen).toEqual([`CONNECT ${new URL(url.good!).host}`])
  })
  test('NO_PROXY bypasses it: reached directly, the proxy saw nothing', async () => {
    proxy.seen.length = 0
    expect(await get(transport({ ca: [pki.ca] }, { httpsProxy: proxy.url, noProxy: 'localhost,127.0.0.1' }), url.good!)).toMatchObject({ status: 200 })
    expect(proxy.seen).toEqual([])
  })
  test('a proxy that wants credentials (407): says where they go, never prints the ones it was given', async () => {
    proxy.mode = 407
    try {
      const withCreds = proxy.url.replace('http://', 'http://alice:pr0xy-s3cret@')
      const e = failure(await get(transport({ ca: [pki.ca] }, { httpsProxy: withCreds }), url.good!))
      expect(e.code).toBe('TRANSPORT_PROXY')
      expect(e.message).toMatch(/the proxy http:\/\/127\.0\.0\.1:\d+ wants credentials \(407/)
      expect(e.message).not.toMatch(/pr0xy-s3cret|alice/)
    } finally {
      proxy.mode = 'tunnel'
    }
  })
  test('a proxy that refuses CONNECT (403): says so and names the host', async () => {
    proxy.mode = 403
    try {
      const e = failure(await get(transport({ ca: [pki.ca] }, { httpsProxy: proxy.url }), url.good!))
      expect(e.code).toBe('TRANSPORT_PROXY')
      expect(e.message).toMatch(/refused CONNECT to 127\.0\.0\.1:\d+ \(HTTP 403\).*NO_PROXY/)
    } finally {
      proxy.mode = 'tunnel'
    }
  })
  test('a proxy that is not there: says the proxy, not the target, could not be reached', async () => {
    const gone = createHttpServer()
    const port = await listen(gone)
    gone.close()
    const e = failure(await get(transport({ ca: [pki.ca] }, { httpsProxy: `http://127.0.0.1:${port}` }), url.good!))
    expect(e.code).toBe('TRANSPORT_PROXY')
    expect(e.message).toMatch(new RegExp(`the proxy http://127\\.0\\.0\\.1:${port} could not be reached \\(ECONNREFUSED\\)`))
  })
})

describe('the node-soap generated client uses the same transport', () => {
  const call = (t: Transport) =>
    new GeneratedClients(t).call(`${ref.url}/srv.asmx?WSDL`, 'soap11', 'AuthenticateUser', [
      ['UID', 'nobody'],
      ['PWD', 'wrong'],
    ])
  test('its WSDL and its calls go through the CA and the proxy', async () => {
    proxy.seen.length = 0
    const t = transport({ ca: [pki.ca] }, { httpsProxy: proxy.url })
    try {
      const { answer, request } = await call(t)
      expect(answer.status).toBe(200)
      expect(request.url).toBe(`${ref.url}/srv.asmx`)
      expect(answer.body).toMatch(/AuthenticateUserResponse/)
      expect(proxy.seen.length).toBeGreaterThan(0)
      expect(new Set(proxy.seen)).toEqual(new Set([`CONNECT ${new URL(ref.url).host}`]))
    } finally {
      await t.close()
    }
  })
  test('without the CA it fails as transport with the certificate named, not as an unusable WSDL', async () => {
    const t = transport()
    try {
      const e = await call(t).catch((x: unknown) => x)
      expect(e).toBeInstanceOf(ConformError)
      expect((e as ConformError).code).toBe('TRANSPORT_TLS_UNTRUSTED')
      expect((e as ConformError).category).toBe('transport')
    } finally {
      await t.close()
    }
  })
})

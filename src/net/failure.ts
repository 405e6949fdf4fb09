import { isIP } from 'node:net'
import type { NetworkSettings } from './dispatcher.ts'
import { tlsAlertFor } from './tls-alerts.ts'

/** A certificate, TLS or proxy failure, said so that the reader knows what to fix. */
export interface NetworkFailure {
  code:
    | 'TRANSPORT_TLS_UNTRUSTED'
    | 'TRANSPORT_TLS_EXPIRED'
    | 'TRANSPORT_TLS_HOSTNAME'
    | 'TRANSPORT_TLS_CLIENT_CERT'
    | 'TRANSPORT_TLS_HANDSHAKE'
    | 'TRANSPORT_PROXY'
  message: string
}

interface RawError {
  code?: string
  name?: string
  message?: string
  reason?: string
  address?: string
  port?: number
  hostname?: string
  cause?: RawError
  socket?: { localAddress?: string; localPort?: number; bytesRead?: number }
}

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
])
const DATES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'])
const OTHER_CERT = /^(CERT_|UNABLE_TO_|INVALID_CA|INVALID_PURPOSE|HOSTNAME_MISMATCH|PATH_LENGTH_EXCEEDED)/
const CLIENT_CERT_REJECTED = /UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_UNKNOWN|UNSUPPORTED_CERTIFICATE|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|ACCESS_DENIED/
const NOT_TLS = /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST|RECORD_LAYER_FAILURE/
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET'])

/** The proxy a request to `url` would use (before NO_PROXY), without any credentials in it. */
function proxyFor(url: URL, network: NetworkSettings): URL | undefined {
  const p = network.proxy
  const raw = url.protocol === 'https:' ? p?.httpsProxy || p?.httpProxy : p?.httpProxy
  if (!raw) return undefined
  try {
    const u = new URL(raw)
    u.username = ''
    u.password = ''
    return u
  } catch {
    return undefined
  }
}

function isTheProxy(err: RawError, proxy: URL): boolean {
  const host = proxy.hostname.replace(/^\[|\]$/g, '')
  const port = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80))
  if (err.hostname) return err.hostname === host
  return err.port === port && (err.address === host || isIP(host) === 0)
}

/**
 * Maps undici, Node and OpenSSL errors of certificates, TLS handshakes and proxies to a stable code and a
 * message saying what to fix. Anything else (timeouts, refused connections to the target, …): undefined.
 */
export function networkFailure(e: unknown, url: URL, network: NetworkSettings = {}): NetworkFailure | undefined {
  const err = (e ?? {}) as RawError
  // DOMExceptions (timeouts, aborts) carry numeric codes: not ours.
  const code = [err.code, err.cause?.code].find((c): c is string => typeof c === 'string') ?? ''
  const host = url.host
  const proxy = proxyFor(url, network)
  const proxyName = proxy ? proxy.origin : 'the proxy'

  const tunnel = /Proxy response \((\d+)\) !== 200/.exec(err.message ?? '')
  const status = tunnel ? Number(tunnel[1]) : /Proxy Authentication Required \(407\)/.test(err.message ?? '') ? 407 : undefined
  if (status === 407) {
    return {
      code: 'TRANSPORT_PROXY',
      message: `the proxy ${proxyName} wants credentials (407 Proxy Authentication Required): put them in the proxy URL, e.g. HTTPS_PROXY=http://USER:PASSWORD@host:port (from CI secrets)`,
    }
  }
  if (status !== undefined) {
    return {
      code: 'TRANSPORT_PROXY',
      message: `the proxy ${proxyName} refused CONNECT to ${host} (HTTP ${status}): ask for ${url.hostname} to be allowed through it, or list it in NO_PROXY if it is reachable directly`,
    }
  }
  if (code === 'UND_ERR_PRX_TLS' || code === 'UND_ERR_PRX_CONN') {
    const why = err.cause?.code ?? err.cause?.message ?? code
    return {
      code: 'TRANSPORT_PROXY',
      message: `the connection to the proxy ${proxyName} failed (${why}): check HTTPS_PROXY/HTTP_PROXY; a proxy reached over https:// must present a certificate Node trusts (NODE_EXTRA_CA_CERTS)`,
    }
  }
  if (proxy && UNREACHABLE.has(code) && isTheProxy(err, proxy)) {
    return {
      code: 'TRANSPORT_PROXY',
      message: `the proxy ${proxyName} could not be reached (${code}): check HTTPS_PROXY/HTTP_PROXY, or list ${url.hostname} in NO_PROXY if it is reachable directly`,
    }
  }

  const inspecting = proxy ? ` (behind a TLS-inspecting proxy, that is the proxy's CA)` : ''
  if (UNTRUSTED.has(code)) {
    return {
      code: 'TRANSPORT_TLS_UNTRUSTED',
      message: `certificate signed by an unknown authority (${code}): add the CA that issued ${host}'s certificate with tls.ca in the target, or NODE_EXTRA_CA_CERTS${inspecting}; NODE_USE_SYSTEM_CA=1 trusts the OS store`,
    }
  }
  if (DATES.has(code)) {
    const when = code === 'CERT_HAS_EXPIRED' ? 'has expired' : 'is not valid yet'
    return {
      code: 'TRANSPORT_TLS_EXPIRED',
      message: `${host}'s certificate ${when} (${code}): the server needs a current certificate, or this machine's clock is wrong`,
    }
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return {
      code: 'TRANSPORT_TLS_HOSTNAME',
      message: `${host}'s certificate is not issued for that name (${code}${err.reason ? `: ${err.reason}` : ''}): use in baseUrl a host name the certificate names`,
    }
  }
  if (OTHER_CERT.test(code)) {
    return { code: 'TRANSPORT_TLS_UNTRUSTED', message: `${host}'s certificate was rejected (${code}): check the certificate the server presents and tls.ca` }
  }

  const https = url.protocol === 'https:'
  const alert = code.startsWith('ERR_SSL_') ? code : https && (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') ? tlsAlertFor(err.socket) : undefined
  const clientCert = network.tls?.clientCert === true
  if (alert) {
    if (/CERTIFICATE_REQUIRED/.test(alert)) {
      return {
        code: 'TRANSPORT_TLS_CLIENT_CERT',
        message: `client certificate required: ${host} asks for one (${alert}); set tls.cert and tls.key on the target`,
      }
    }
    if (clientCert && CLIENT_CERT_REJECTED.test(alert)) {
      return {
        code: 'TRANSPORT_TLS_CLIENT_CERT',
        message: `${host} rejected the client certificate (${alert}): tls.cert must be issued by a CA the server trusts, and be current`,
      }
    }
    if (NOT_TLS.test(alert)) {
      return { code: 'TRANSPORT_TLS_HANDSHAKE', message: `${host} does not speak TLS there (${alert}): is baseUrl https:// for a plain-HTTP port?` }
    }
    const maybe = clientCert ? 'the server may not accept the client certificate' : 'the server may require a client certificate (set tls.cert and tls.key)'
    return {
      code: 'TRANSPORT_TLS_HANDSHAKE',
      message: `the TLS handshake with ${host} failed (${alert}): ${maybe}, or it shares no TLS version or cipher with this client`,
    }
  }
  // Some servers (Node's among them) drop a connection whose client certificate they reject without an alert:
  // a fresh TLS connection closed before a single byte of answer.
  if (https && clientCert && code === 'UND_ERR_SOCKET' && err.socket?.bytesRead === 0) {
    return {
      code: 'TRANSPORT_TLS_CLIENT_CERT',
      message: `${host} closed the connection after the TLS handshake without answering (${code}): it most likely rejected the client certificate; tls.cert must be issued by a CA the server trusts, and be current`,
    }
  }
  if (code === 'ECONNRESET' && /before secure TLS connection/.test(err.message ?? '')) {
    const who = proxy ? `the proxy ${proxyName} or a firewall may be cutting TLS to ${host}` : 'a firewall may be cutting TLS'
    return {
      code: 'TRANSPORT_TLS_HANDSHAKE',
      message: `the connection to ${host} was reset during the TLS handshake (ECONNRESET): ${who}${clientCert ? '' : ', or the server requires a client certificate (set tls.cert and tls.key)'}`,
    }
  }
  if (code.startsWith('ERR_TLS_')) {
    return { code: 'TRANSPORT_TLS_HANDSHAKE', message: `the TLS connection to ${host} failed (${code})` }
  }
  return undefined
}

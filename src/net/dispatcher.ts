import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici'
import type { TlsMaterial } from './tls-material.ts'
import { watchTlsAlerts } from './tls-alerts.ts'

/** Proxies as the environment names them (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, or their lower-case forms). */
export interface ProxySettings {
  httpProxy?: string
  httpsProxy?: string
  noProxy?: string
}

/** How requests leave this process: TLS material and proxies. The same for every HTTP user of a run. */
export interface NetworkSettings {
  tls?: TlsMaterial
  /** Absent: straight to the target (the embedded reference on loopback never goes through a proxy). */
  proxy?: ProxySettings
}

export interface PoolSettings {
  connections: number
  timeoutMs: number
  maxBodyBytes: number
}

/** The proxy settings of an environment; undefined when it names no proxy. */
export function proxyFromEnv(env: NodeJS.ProcessEnv = process.env): ProxySettings | undefined {
  // The lower-case form wins (curl's convention); an empty value counts as unset.
  const pick = (name: string) => env[name.toLowerCase()] || env[name] || undefined
  const httpProxy = pick('HTTP_PROXY')
  const httpsProxy = pick('HTTPS_PROXY')
  if (!httpProxy && !httpsProxy) return undefined
  const noProxy = pick('NO_PROXY')
  return { ...(httpProxy ? { httpProxy } : {}), ...(httpsProxy ? { httpsProxy } : {}), ...(noProxy !== undefined ? { noProxy } : {}) }
}

/**
 * One undici dispatcher for a target: pooled sockets, coarse timeouts and the size cap, TLS verification
 * with the target's roots and client certificate, and the environment's proxies (CONNECT tunnels for https).
 */
export function createDispatcher(pool: PoolSettings, network: NetworkSettings = {}): Dispatcher {
  watchTlsAlerts()
  const tls =
    network.tls?.secureContext || network.tls?.rejectUnauthorized === false
      ? { ...(network.tls.secureContext ? { secureContext: network.tls.secureContext } : {}), rejectUnauthorized: network.tls.rejectUnauthorized }
      : {}
  const common = {
    connections: pool.connections,
    // headers/body timeouts are coarse safety nets; the caller's AbortSignal is the precise deadline.
    headersTimeout: pool.timeoutMs + 1000,
    bodyTimeout: pool.timeoutMs + 1000,
    maxResponseSize: pool.maxBodyBytes,
    connect: { timeout: pool.timeoutMs, ...tls },
  }
  const { proxy } = network
  if (!proxy) return new Agent(common)
  // A ProxyAgent ignores `connect` for the tunnelled connection: the target's TLS goes in `requestTls`.
  return new EnvHttpProxyAgent({
    ...common,
    requestTls: tls,
    connectTimeout: pool.timeoutMs,
    // '' (not undefined) so that undici does not fall back to this process's own environment.
    httpProxy: proxy.httpProxy ?? '',
    httpsProxy: proxy.httpsProxy ?? '',
    noProxy: proxy.noProxy ?? '',
  })
}

import type { BindingName } from '../bindings/types.ts'
import type { Limits, TlsConfig } from '../spec/model.ts'

/** Everything a worker needs to reach a target; plain data (crosses into vitest workers). */
export interface ResolvedTarget {
  name: string
  allowWrites: boolean
  limits: Limits
  /** TLS settings, still file paths and `${env:NAME}` references (read in the worker, never serialised). */
  tls?: TlsConfig
  /** Straight to the target, ignoring HTTPS_PROXY/HTTP_PROXY: the embedded reference on loopback. */
  direct?: boolean
  apis: Record<string, ResolvedApiTarget>
}

export interface ResolvedApiTarget {
  baseUrl: string
  /** Bindings the target offers; absent: every binding the API declares. */
  bindings?: BindingName[]
  /** Logical user fields the target lets the API update (absent: the API's documented list). */
  updateable?: string[]
  /** Fixture accounts per role, values still `${env:NAME}` (resolved in the worker, never serialised). */
  fixtures: Record<string, Array<Record<string, string>>>
  /** The embedded reference provisions fresh users per check through its control endpoint. */
  provisioning?: { url: string; key: string }
}

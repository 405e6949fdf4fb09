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
  /**
   * The account the read-back role reads and restores with, when it is not among `fixtures` (a sharded run keeps it
   * from every shard's checks); absent: the role's first fixture account.
   */
  reader?: Record<string, string>
  /** Keys (`accountKey`) of the accounts checks may change beyond what a restore puts back (config `disposable: true`). */
  disposable?: string[]
  /** The embedded reference provisions fresh users per check through its control endpoint. */
  provisioning?: { url: string; key: string }
  /** The target can expire a session on demand (the embedded reference's control endpoint, for APIs whose sessions expire). */
  sessionExpiry?: { url: string; key: string }
}

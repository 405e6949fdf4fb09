/**
 * The embedded reference target: one HTTP server with every embedded API at its documented path, state in
 * SQLite, a provisioning control endpoint, named deviations that each break documented behaviours, and named
 * variations that each change it in a way the documentation allows.
 */
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { ApiModule } from './api.ts'
import { createClock } from './clock.ts'
import { clockRoute } from './control/clock-route.ts'
import { createControlMount } from './control/mount.ts'
import { createOriginBook, type OriginBook } from './control/origins.ts'
import { statsRoutes } from './control/stats-route.ts'
import { usersRoutes, type UserStore } from './control/users-route.ts'
import { openDatabase } from './db.ts'
import { selectDeviations } from './deviations/index.ts'
import { ReferenceConfigError } from './errors.ts'
import { createHttpServer, type ServerTls } from './http/server.ts'
import { LoadMeter } from './observe/load.ts'
import { createInstance, EMBEDDED_APIS, type ApiPaths } from './registry.ts'
import { selectVariations } from './variations/index.ts'

export { listDeviations } from './deviations/index.ts'
export { listVariations, type VariationInfo, type VariationListing } from './variations/index.ts'
export { ReferenceConfigError, type ReferenceErrorCode } from './errors.ts'
export { CONTROL_HEADER } from './control/mount.ts'
export { ORIGIN_HEADER, type Origin } from './control/origins.ts'
export type { ListedUser } from './control/users-route.ts'
export { embeddedApiNames, type ApiPaths } from './registry.ts'

export interface ReferenceOptions {
  port?: number // default 0 (OS picks)
  host?: string // default '127.0.0.1'
  dbFile?: string // default ':memory:'
  deviations?: string[] // names from the catalogue; unknown → ReferenceConfigError UNKNOWN_DEVIATION
  variations?: string[] // names from the variation catalogue; unknown → ReferenceConfigError UNKNOWN_VARIATION
  now?: () => Date // injectable clock (ticket expiry)
  maxRequestBytes?: number // default 1_000_000; larger bodies → 413
  latencyMs?: number // default 0; every API answer waits this long (a remote server's latency; requests then overlap)
  controlKey?: string // default: random 32 hex chars
  tls?: ServerTls // serve HTTPS (PEM cert and key); with clientCa, require client certificates it issued
}

export interface RunningReference {
  url: string // e.g. http://127.0.0.1:41234
  controlKey: string
  close(): Promise<void>
}

interface Resolved {
  readonly port: number
  readonly host: string
  readonly dbFile: string
  readonly deviations: readonly string[]
  readonly variations: readonly string[]
  readonly now: () => Date
  readonly maxRequestBytes: number
  readonly latencyMs: number
  readonly controlKey: string
  readonly tls: ServerTls | undefined
}

function invalid(message: string): never {
  throw new ReferenceConfigError('INVALID_OPTION', message)
}

function resolveOptions(options: ReferenceOptions): Resolved {
  const port = options.port ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65535) invalid(`port must be an integer 0-65535, got ${String(port)}`)
  const maxRequestBytes = options.maxRequestBytes ?? 1_000_000
  if (!Number.isSafeInteger(maxRequestBytes) || maxRequestBytes < 1) invalid('maxRequestBytes must be a positive integer')
  const controlKey = options.controlKey ?? randomBytes(16).toString('hex')
  if (typeof controlKey !== 'string' || controlKey === '') invalid('controlKey must be a non-empty string')
  const host = options.host ?? '127.0.0.1'
  if (typeof host !== 'string' || host === '') invalid('host must be a non-empty string')
  const dbFile = options.dbFile ?? ':memory:'
  if (typeof dbFile !== 'string' || dbFile === '') invalid('dbFile must be a non-empty string')
  const deviations = options.deviations ?? []
  if (!Array.isArray(deviations) || deviations.some((d) => typeof d !== 'string')) invalid('deviations must be an array of names')
  const variations = options.variations ?? []
  if (!Array.isArray(variations) || variations.some((v) => typeof v !== 'string')) invalid('variations must be an array of names')
  const now = options.now ?? (() => new Date())
  if (typeof now !== 'function') invalid('now must be a function returning a Date')
  const latencyMs = options.latencyMs ?? 0
  if (!Number.isSafeInteger(latencyMs) || latencyMs < 0) invalid('latencyMs must be a non-negative integer')
  const tls = options.tls
  if (tls !== undefined && (!tls.cert || !tls.key)) invalid('tls needs both cert and key (PEM)')
  return { port, host, dbFile, deviations, variations, now, maxRequestBytes, controlKey, latencyMs, tls }
}

/**
 * The embedded APIs whose sessions the control endpoint expires on demand (`POST /__reference/<api>/sessions/expiry
 * {ticket}`): infoRouter's tickets expire 30 days after their last use; ECGridOS sessions and the credential-only
 * APIs never expire.
 */
export function sessionExpiryApis(): string[] {
  return EMBEDDED_APIS.filter((a) => a.sessionExpiry).map((a) => a.api)
}

/** The embedded APIs and their paths (static: the same for every instance). */
export function embeddedApis(): ApiPaths[] {
  return EMBEDDED_APIS.map(({ api, title, paths, wsdl, base }) => ({ api, title, paths: [...paths], wsdl, ...(base !== undefined ? { base } : {}) }))
}

export async function startReference(options: ReferenceOptions = {}): Promise<RunningReference> {
  const opts = resolveOptions(options)
  const selected = selectDeviations(opts.deviations)
  const varied = selectVariations(opts.variations)
  const clock = createClock(opts.now)
  const db = openDatabase(opts.dbFile)
  let started: Array<{ api: string; module: ApiModule; users: UserStore }>
  let origins: OriginBook
  try {
    const instance = createInstance(db, clock)
    started = EMBEDDED_APIS.map((a) => ({ api: a.api, ...a.start(instance, selected, varied) }))
    origins = createOriginBook(db)
  } catch (error) {
    db.close()
    throw error
  }
  const meter = new LoadMeter()
  const apiRoutes = started.flatMap((s) => usersRoutes(s.api, s.users, origins, s.module.controlRoutes))
  const control = createControlMount(opts.controlKey, [clockRoute(clock), ...statsRoutes(meter), ...apiRoutes])
  let server: ReturnType<typeof createHttpServer>
  try {
    server = createHttpServer({
      maxRequestBytes: opts.maxRequestBytes,
      mounts: [control, ...started.flatMap((s) => s.module.mounts)],
      meter,
      latencyMs: opts.latencyMs,
      ...(opts.tls ? { tls: opts.tls } : {}),
    })
  } catch (error) {
    db.close()
    // A certificate or key OpenSSL cannot read; its message names no key material.
    throw new ReferenceConfigError('INVALID_OPTION', `tls: ${error instanceof Error ? error.message : String(error)}`)
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(opts.port, opts.host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    db.close()
    const reason = error instanceof Error ? error.message : String(error)
    throw new ReferenceConfigError('LISTEN_FAILED', `cannot listen on ${opts.host}:${opts.port}: ${reason}`)
  }

  const address = server.address() as AddressInfo
  const hostPart = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address
  let closing: Promise<void> | undefined
  return {
    url: `${opts.tls ? 'https' : 'http'}://${hostPart}:${address.port}`,
    controlKey: opts.controlKey,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          db.close()
          resolve()
        })
        server.closeAllConnections()
      })
      return closing
    },
  }
}

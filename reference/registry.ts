/**
 * The embedded APIs, one entry each: where it is served, the store it serves, its reference module, its deviation
 * catalogue, its place in the variations, and what its control routes need. Everything that lists the embedded APIs
 * derives from here: the server's mounts and control routes (index.ts), the deviation and variation catalogues
 * (deviations/index.ts, variations/index.ts), the reference target (src/run/resolve-target.ts) and the project's
 * tests. Adding an API: its data (specs/<api>/), its reference module (reference/<api>/), one entry in EMBEDDED_APIS.
 */
import type { DatabaseSync } from 'node:sqlite'
import type { ApiModule } from './api.ts'
import type { Clock } from './clock.ts'
import type { StoredUser, UserStore } from './control/users-route.ts'
import { ECGRIDOS_ANSWER_DEVIATIONS, ECGRID_REST_ANSWER_DEVIATIONS, LOGICMELON_ANSWER_DEVIATIONS } from './deviations/answers.ts'
import { ECGRIDOS_DEVIATIONS, ECGRID_REST_DEVIATIONS } from './deviations/ecgrid.ts'
import { ECGRIDOS_V41_DEVIATIONS } from './deviations/ecgridos-v41.ts'
import { INFOROUTER_DEVIATIONS } from './deviations/inforouter.ts'
import { INFOROUTER_DATA_DEVIATIONS } from './deviations/inforouter-data.ts'
import { LOGICMELON_DEVIATIONS } from './deviations/logicmelon.ts'
import type { Deviation, DeviationInfo } from './deviations/types.ts'
import { createEcgridStore, type EcgridStore } from './ecgrid/index.ts'
import { createEcgridRestApi, ECGRID_REST_PATHS } from './ecgrid-rest/index.ts'
import { createEcgridOsApi } from './ecgridos/index.ts'
import { ECGRIDOS_SERVICE } from './ecgridos/operations/index.ts'
import { createEcgridOsV41Api, ECGRIDOS_V41_SERVICE, LIVE_BASE } from './ecgridos-v41/index.ts'
import { createInfoRouterApi } from './inforouter/index.ts'
import { INFOROUTER_SERVICE } from './inforouter/operations/index.ts'
import { createUserRepository, USERS_DDL, type UserRepository } from './inforouter/users.ts'
import { ROLES } from './logicmelon/control.ts'
import { createLogicMelonApi } from './logicmelon/index.ts'
import { LOGICMELON_SERVICE } from './logicmelon/operations/index.ts'
import { createLogicMelonStore, type LogicMelonStore } from './logicmelon/store.ts'
import type { Variation, VariationWraps } from './variations/types.ts'
import { SESSION_EXPIRY_APIS } from './facts.ts'
import { wrapMount } from './variations/wraps.ts'

/** The paths an embedded API answers on, for `conform serve` to print and a target to reach. */
export interface ApiPaths {
  readonly api: string
  readonly title: string
  readonly paths: readonly string[]
  /** Whether `<path>?WSDL` describes the service (SOAP services). */
  readonly wsdl: boolean
  /**
   * Where the API's own paths start, when not at the root: a target reaches it with `<url><base>` as its baseUrl
   * (two profiles of one service, each at the service's real path).
   */
  readonly base?: string
}

/** A store one or more embedded APIs serve; faces of one backend (DESIGN D3) name the same one. */
export interface Backend<S> {
  readonly name: string
  /** Opens the store over the reference's database (idempotent: creates what is missing). */
  open(db: DatabaseSync): S
  /** Every user of the store, for the control endpoint's listing: never a secret. */
  users(store: S): StoredUser[]
}

/** What one reference instance gives an API: its database, clock and stores (each opened once per instance). */
export interface Instance {
  readonly db: DatabaseSync
  readonly clock: Clock
  store<S>(backend: Backend<S>): S
}

interface ApiEntry<S, W> extends ApiPaths {
  readonly backend: Backend<S>
  readonly deviations: readonly Deviation<W>[]
  /**
   * Its wrappers in a variation. Undefined: variations leave it alone (not even their HTTP-level wraps), and it is
   * never listed among the APIs a variation changes.
   */
  readonly variations?: (wraps: VariationWraps) => readonly W[] | undefined
  create(deps: { readonly db: DatabaseSync; readonly clock: Clock; readonly store: S }, wraps: readonly W[]): ApiModule
}

/** An entry with its framework's types erased: what the rest of the reference sees. */
export interface EmbeddedApi extends ApiPaths {
  readonly backend: string
  /** Whether the control endpoint expires its sessions on demand (facts.ts). */
  readonly sessionExpiry: boolean
  readonly deviations: readonly DeviationInfo[]
  /** Whether variations are checked against it. */
  readonly varied: boolean
  /** Whether a variation's wrappers include some of its own (not counting the HTTP-level ones every API can take). */
  wrappedBy(wraps: VariationWraps): boolean
  /**
   * The API on a reference instance, with the chosen deviations (by name) under the chosen variations: their wraps of
   * its own, and over its mounts their HTTP-level wraps (those of '*' and of this API). An API that is not varied
   * takes none.
   */
  start(instance: Instance, deviations: readonly string[], variations: readonly Variation[]): { module: ApiModule; users: UserStore }
}

function embedded<S, W>(entry: ApiEntry<S, W>): EmbeddedApi {
  const { backend, create, variations, deviations, ...info } = entry
  return {
    ...info,
    backend: backend.name,
    sessionExpiry: SESSION_EXPIRY_APIS.includes(info.api),
    deviations,
    varied: variations !== undefined,
    wrappedBy: (wraps) => (variations?.(wraps)?.length ?? 0) > 0,
    start(instance, names, chosen) {
      const store = instance.store(backend)
      // Deviations in the order named, and variations over them: they respell whatever the (deviating) service answers.
      const wraps = [
        ...names.flatMap((name) => deviations.filter((d) => d.name === name)).flatMap((d) => d.wraps),
        ...(variations ? chosen.flatMap((v) => variations(v.wraps) ?? []) : []),
      ]
      const module = create({ db: instance.db, clock: instance.clock, store }, wraps)
      const http = variations ? chosen.filter((v) => v.api === '*' || v.api === info.api).flatMap((v) => v.wraps.http ?? []) : []
      return {
        module: { ...module, mounts: module.mounts.map((m) => wrapMount(m, http)) },
        users: { backend: backend.name, users: () => backend.users(store) },
      }
    },
  }
}

const INFOROUTER_BACKEND: Backend<UserRepository> = {
  name: 'inforouter',
  open: (db) => {
    db.exec(USERS_DDL)
    return createUserRepository(db)
  },
  users: (repository) => repository.list().map((u) => ({ login: u.userName, id: String(u.id), role: u.role, placement: {} })),
}

const ECGRID_BACKEND: Backend<EcgridStore> = {
  name: 'ecgrid',
  open: createEcgridStore,
  users: (store) =>
    store.users.list().map((u) => ({
      login: u.login,
      id: String(u.id),
      role: u.authLevel,
      placement: { networkId: String(u.networkId), mailboxId: String(u.mailboxId) },
    })),
}

const LM_ROLE_NAMES = new Map<number, string>(Object.entries(ROLES).map(([name, id]) => [id, name]))

const LOGICMELON_BACKEND: Backend<LogicMelonStore> = {
  name: 'logicmelon',
  open: createLogicMelonStore,
  users: (store) =>
    store.users.list().map((u) => ({
      login: u.Username,
      id: String(u.UserID),
      role: LM_ROLE_NAMES.get(u.UserRoleID) ?? String(u.UserRoleID),
      placement: { organisationId: String(u.OrganisationID), organisationIdentifier: store.organisations.findById(u.OrganisationID)?.identifier ?? '' },
    })),
}

/** The embedded APIs, in the order the reference mounts, serves and lists them. */
export const EMBEDDED_APIS: readonly EmbeddedApi[] = [
  embedded({
    api: 'inforouter',
    title: 'infoRouter',
    paths: [INFOROUTER_SERVICE.path],
    wsdl: true,
    backend: INFOROUTER_BACKEND,
    deviations: [...INFOROUTER_DEVIATIONS, ...INFOROUTER_DATA_DEVIATIONS],
    variations: (w) => w.inforouter,
    create: ({ db, clock }, wraps) => createInfoRouterApi({ db, clock, wraps }),
  }),
  embedded({
    api: 'ecgridos',
    title: 'ECGridOS',
    paths: [ECGRIDOS_SERVICE.path],
    wsdl: true,
    backend: ECGRID_BACKEND,
    deviations: [...ECGRIDOS_DEVIATIONS, ...ECGRIDOS_ANSWER_DEVIATIONS],
    variations: (w) => w.ecgridos,
    create: ({ store, clock }, wraps) => createEcgridOsApi({ store, clock, wraps }),
  }),
  embedded({
    api: 'ecgrid-rest',
    title: 'ECGrid REST',
    paths: [...ECGRID_REST_PATHS],
    wsdl: false,
    backend: ECGRID_BACKEND,
    deviations: [...ECGRID_REST_DEVIATIONS, ...ECGRID_REST_ANSWER_DEVIATIONS],
    variations: (w) => w['ecgrid-rest'],
    create: ({ store, clock }, wraps) => createEcgridRestApi({ store, clock, wraps }),
  }),
  embedded({
    api: 'logicmelon',
    title: 'LogicMelon',
    paths: [LOGICMELON_SERVICE.path],
    wsdl: true,
    backend: LOGICMELON_BACKEND,
    deviations: [...LOGICMELON_DEVIATIONS, ...LOGICMELON_ANSWER_DEVIATIONS],
    variations: (w) => w.logicmelon,
    create: ({ db }, wraps) => createLogicMelonApi({ db, wraps }),
  }),
  embedded({
    api: 'ecgridos-v41',
    title: 'ECGridOS v4.1 (live profile)',
    paths: [ECGRIDOS_V41_SERVICE.path],
    wsdl: true,
    base: LIVE_BASE,
    backend: ECGRID_BACKEND,
    deviations: ECGRIDOS_V41_DEVIATIONS,
    // Not varied: no variation is written for it. `variations: () => []` would put it under the HTTP-level ones and,
    // through its store, those of ECGridOS and ECGrid REST (tried: 57 variations, none alarmed its 94 checks).
    create: ({ store, clock }, wraps) => createEcgridOsV41Api({ store, clock, wraps }),
  }),
]

/** The embedded APIs' names, in registry order. */
export function embeddedApiNames(): string[] {
  return EMBEDDED_APIS.map((a) => a.api)
}

/** One instance's stores: each backend opened once, on first use. */
export function createInstance(db: DatabaseSync, clock: Clock): Instance {
  const opened = new Map<Backend<unknown>, unknown>()
  return {
    db,
    clock,
    store<S>(backend: Backend<S>): S {
      if (!opened.has(backend as Backend<unknown>)) opened.set(backend as Backend<unknown>, backend.open(db))
      return opened.get(backend as Backend<unknown>) as S
    },
  }
}

import type { BindingName } from '../bindings/types.ts'
import type { Template } from '../expr.ts'
import type { Nil, OmitMarker, Positions, SourceFile } from '../yaml/source.ts'

/**
 * Where a user sits relative to the check's other users (another mailbox, network or organisation): the one starting
 * value a configured target can give, when its config marks fixture accounts with `placement: NAME`. Accounts with no
 * placement are the home group every check's users come from by default.
 */
export const PLACEMENT_KEY = 'placement'

export type Level = 'MUST' | 'SHOULD' | 'ADVISORY'
export const LEVEL_RANK: Record<Level, number> = { MUST: 3, SHOULD: 2, ADVISORY: 1 }

export interface Behaviour {
  id: string
  level: Level
  api: string
  operation: string
  title: string
  bindings: BindingName[]
  /** Where the behaviour and its level come from: `page <seed>`, `docs …`, `framework …`, `DESIGN …` (specs/behaviours.yaml). */
  source?: string
  /** Why every reasonable implementation must agree, for a MUST that rests on a DESIGN decision alone. */
  mustBecause?: string
}

/**
 * A value tree as loaded: any string in it may be a parsed `${…}` template, which the engine evaluates for each check
 * (`evaluateDeep`) into the plain T.
 */
export type Loaded<T> = T extends string
  ? string | Template
  : T extends ReadonlyArray<infer U>
    ? Array<Loaded<U>>
    : T extends object
      ? { [K in keyof T]: Loaded<T[K]> }
      : T

/** A value as loaded: a literal, a marker, or a parsed `${…}` template (evaluated by the engine for each check). */
export type ParamInput = string | number | boolean | Nil | OmitMarker | Template
export type Matcher = string | number | boolean | null | { pattern: string } | { startsWith: string } | { oneOf: string[] }
/** Read-back state also knows the value before the call and what the target lets the API update. */
export type StateMatcher = Matcher | { applied: string | number | boolean } | { appliedOrKept: string | number | boolean }

/** `{ Operation: { Param: value } }` in YAML. */
export interface Call {
  operation: string
  params: Record<string, ParamInput>
  /** Path of the call in its file, for locating mistakes. */
  at: ReadonlyArray<string | number>
}

export interface OutcomeExpectation {
  status?: number
  response?: Record<string, Matcher>
  fault?: { code?: Matcher; reason?: Matcher; detail?: Record<string, Matcher> }
  httpError?: { status?: number; contentType?: string; text?: Matcher }
}

/** `then` as loaded: its matchers may hold parsed templates, evaluated for each check into a `Then`. */
export interface LoadedOutcomeExpectation {
  status?: number
  response?: Record<string, Loaded<Matcher>>
  fault?: { code?: Loaded<Matcher>; reason?: Loaded<Matcher>; detail?: Record<string, Loaded<Matcher>> }
  httpError?: { status?: number; contentType?: string; text?: Loaded<Matcher> }
}

export interface LoadedThen extends LoadedOutcomeExpectation {
  any?: LoadedOutcomeExpectation[]
  unchanged?: string[]
  state?: Record<string, Record<string, Loaded<StateMatcher>>>
}

export interface Then extends OutcomeExpectation {
  any?: OutcomeExpectation[]
  unchanged?: string[]
  state?: Record<string, Record<string, StateMatcher>>
}

/** The same update made through another API that reaches the same users (EO-12: ECGridOS SOAP ↔ ECGrid REST). */
export interface Equivalent {
  api: string
  binding: BindingName
  when: Call
  /** Logical user fields compared, located in each API's answers by its `user.fields`. */
  fields: string[]
  /** Fields compared as instants (an unzoned dateTime is taken as UTC). */
  instants: string[]
}

export interface Spec {
  id: string
  title: string
  covers: string[]
  api: string
  bindings?: BindingName[]
  notes?: string
  via: 'suite' | 'generated-client'
  /**
   * `with`: starting values a provisioning target gives the user; `set`: values the suite writes with the API's restore
   * call before the check, on any target (the state that makes the check's failure observable).
   */
  users: Record<string, { role: string; with?: Record<string, string>; set?: Record<string, string | Template> }>
  /** `session: expired`: the caller's session is expired through the target's control before the calls. */
  caller?: { user: string; session?: 'expired' } | { token: ParamInput }
  vars: Record<string, string | Template>
  before: Call[]
  when: Call
  then: LoadedThen
  equivalent?: Equivalent
  file: string
  /** Where each value of the file is (yaml/source.ts `locateIn`): all a check keeps of the YAML. */
  positions: Positions
}

export interface OperationDescription {
  name: string
  /** Where api.yaml declares the params (`''`) and each top-level one (`file:line:column`), for hints in failures. */
  declaredAt: Record<string, string>
  docs?: string
  writes: boolean
  bindings?: BindingName[]
  token?: string
  /** Dotted paths of the leaves, in declaration order (`Request.User.FirstName`). */
  params: string[]
  /** Leaves or groups a spec may leave out. */
  optional: string[]
  types: Record<string, 'string' | 'integer'>
  /** Writing operations: the params naming the user the call changes. */
  selects: string[]
  /** Writing operations: param -> the user field it sets (see `restorable`). */
  sets: Record<string, string>
  http?: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; headers?: Record<string, string> }
  /** `httpElement`: the root of an HTTP GET/POST answer when it is not `element` (ASMX: a typed result's type name, `boolean`). */
  answer: { element?: string; httpElement?: string; schema: string; behaviours?: string[]; user?: AnswerUser }
}

/**
 * An answer that carries the user the call changed (an update answering the updated user): every field of it must be
 * what the read-back that follows shows. Field F stands at `path` + the path `user.fields` gives F in the read-back
 * answer, less its `readBackPath` prefix.
 */
export interface AnswerUser {
  /** Where the user stands in this answer ("": the answer itself). */
  path: string
  /** The prefix of every `user.fields` path that this answer does not have ("": none). */
  readBackPath: string
  /** The logical field whose value the call's selecting param (`selects`) holds: it names the user the answer is about. */
  key: string
  /** The behaviours a difference speaks against (the one that says the answer reflects the stored user). */
  behaviours: string[]
}

export interface PrivilegedCall {
  as: string
  /** The reader's starting values on a provisioning target (readBack only). */
  with?: Record<string, string>
  call: Call
  expect: Record<string, string>
  /** restore: the behaviours a write of it that does not persist speaks against (given.users.X.set). */
  behaviours?: string[]
}

export interface ApiDescription {
  api: string
  title: string
  docs?: string
  namespace: string
  bindings: Partial<Record<BindingName, { path?: string; soapAction?: string }>>
  roles: string[]
  user: {
    key: string
    secrets: string[]
    provision: Record<string, string | Template>
    provisionGroups: boolean
    attributes: string[]
    fields: Record<string, string>
    updateable?: string[]
    /** The field whose read-back value names the user's role. */
    role?: string
    /** Placement name → read-back fields the same as / different from the home accounts of the same role. */
    placements?: Record<string, { same?: string[]; differ: string[] }>
  }
  operations: Record<string, OperationDescription>
  /** Either a login call whose answer carries the token, or a credential the user already holds. */
  auth: { login?: Call; expect?: Record<string, string>; token?: string; credential?: Template | Record<string, Template>; logout?: Call }
  wireBehaviours: string[]
  readBack: PrivilegedCall
  restore: PrivilegedCall
  /**
   * The user fields a restore can put back: written by the restore call (`${before.F}`) and shown by the read-back
   * (`user.fields`). A write that could set any other field runs only on provisioned or disposable users.
   */
  restorable: string[]
  file: string
}

export interface Limits {
  concurrency: number
  timeoutMs: number
  maxBodyBytes: number
  requestsPerSecond?: number
  /** Times a 429/503 with Retry-After is retried per request (default 2). */
  retries?: number
  /** The longest Retry-After waited for, in ms (default 30 000). */
  maxRetryWaitMs?: number
  /** The longest one check may run, from its start, in ms (default 60 000). */
  checkTimeoutMs?: number
}

export interface TargetApiConfig {
  baseUrl: string
  bindings?: BindingName[]
  /** Logical user fields this target lets the API update (default: the API's documented list). */
  updateable?: string[]
  /** Per role: accounts whose values are `${env:NAME}` references, resolved at run time. */
  fixtures: Record<string, Array<Record<string, string>>>
  /** Per role: the positions of the accounts marked `disposable: true` (their flag is not among their values). */
  disposable?: Record<string, number[]>
}

/**
 * How a target's TLS is set up. Each certificate value is an absolute file path (relative ones are resolved
 * against the config file when it is loaded), PEM text, or a template of `${env:NAME}` references whose value
 * is PEM text or a file path; resolved in the process that connects, never serialised resolved.
 */
export interface TlsConfig {
  /** Extra trusted roots, added to Node's roots and NODE_EXTRA_CA_CERTS. */
  ca?: string[]
  /** Client certificate (chain) for mTLS. */
  cert?: string
  /** Its private key: a file or `${env:NAME}`, never PEM text in the config. */
  key?: string
  /** `${env:NAME}` only. */
  passphrase?: string
  /** Skip certificate verification (a warning is printed on every run). */
  insecure?: boolean
}

export interface TargetConfig {
  name: string
  description?: string
  reference: boolean
  allowWrites: boolean
  limits: Limits
  tls?: TlsConfig
  /** A served reference's control endpoint (`key` an `${env:…}` reference): sessions can be expired on demand. */
  referenceControl?: { url: string; key: string }
  apis: Record<string, TargetApiConfig>
}

export interface Config {
  file: string
  /** The config file as read, for locating mistakes found once the APIs are known. */
  source?: SourceFile
  defaultTarget: string
  targets: Record<string, TargetConfig>
}

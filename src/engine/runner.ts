import type { Catalogue } from '../catalogue.ts'
import { resolveEnv } from '../config.ts'
import { ConformError } from '../errors.ts'
import { Redactor } from '../redact.ts'
import type { ApiDescription } from '../spec/model.ts'
import { targetOffers } from '../spec/offered.ts'
import { networkFor } from '../net/network.ts'
import { Transport } from '../transport/index.ts'
import type { TargetLink } from '../transport/link.ts'
import { AnswerSchemas } from '../spec/answer-schemas.ts'
import { GeneratedClients, wsdlUrlOf } from './generated-client.ts'
import { seedFor } from '../fake.ts'
import { authenticate, loginBinding, tokenSecrets, type Token } from './authenticate.ts'
import { ApiClient } from './client.ts'
import { executeCase } from './execute.ts'
import { buildParams, type CheckControl, type RunEnvironment } from './check-execution.ts'
import { Journal } from './journal.ts'
import { OpenSessions } from './sessions.ts'
import { KnownStates } from './known-states.ts'
import { CallerSessions } from './session-reuse.ts'
import { ReferenceSessionControl, type SessionControl } from './session-control.ts'
import { missingPlacement } from './placement.ts'
import { AccountLocks, AccountPool, type FixtureUser, ReferenceUsers, type UserSource } from './fixtures.ts'
import type { Check } from './plan.ts'
import { accountKey, accountsNeeded, fixturePools, readerAccount } from './accounts.ts'
import type { BindingName } from '../bindings/types.ts'
import type { UserState } from './expectations.ts'
import { Scheduler } from './scheduler.ts'
import type { CheckResult } from './result.ts'
import type { ResolvedTarget } from './target.ts'

export interface EnvironmentOptions {
  target: ResolvedTarget
  apis: ReadonlyMap<string, ApiDescription>
  catalogue: Catalogue
  seed: number
  strict?: boolean
  /** The restore journal of a `conform run` (absent: none, e.g. the self-check against the reference). */
  journal?: { file: string; pid: number }
  /** The request slots and connections the run keeps to its target, shared with its other clients (transport/link.ts). */
  link?: TargetLink
}

/** The long-lived parts of a run against one target: transport, clients, users, the reader. */
export class Runner {
  readonly redactor = new Redactor()
  private readonly transport: Transport
  private readonly schemas = new AnswerSchemas()
  private readonly clients = new Map<string, ApiClient>()
  private readonly sources = new Map<string, UserSource>()
  /** Fixture accounts held, across the run's APIs (two APIs may list one account). */
  private readonly locks = new AccountLocks()
  private readonly readers = new Map<string, Promise<{ user: Record<string, unknown>; token: Token }>>()
  /** Readers' sessions the preflight opened (Runner.knowAccount): the run's readers use them instead of logging in. */
  private readonly readerSessions = new Map<string, { binding: BindingName; token: Token }>()
  /** Readers a provisioning target made for the run: removed with the checks' users when the run ends. */
  private readonly provisionedReaders: Array<{ api: string; user: FixtureUser }> = []
  private readonly opts: EnvironmentOptions
  private readerAttempts = 0
  /** Checks under way: closing waits for them, so a stopped check still finishes its restore. */
  private readonly inFlight = new Set<Promise<CheckResult>>()
  private readonly stopping = new AbortController()
  private readonly sessions = new OpenSessions()
  /** What the run knows of its fixture accounts between checks: their verified states, their callers' sessions. */
  private readonly known = new KnownStates()
  private readonly callerSessions = new CallerSessions()
  readonly env: RunEnvironment

  constructor(opts: EnvironmentOptions) {
    this.opts = opts
    const { limits } = opts.target
    this.transport = new Transport(
      {
        timeoutMs: limits.timeoutMs,
        maxBodyBytes: limits.maxBodyBytes,
        connections: limits.concurrency,
        ...(limits.requestsPerSecond ? { requestsPerSecond: limits.requestsPerSecond } : {}),
        ...(limits.retries !== undefined ? { retries: limits.retries } : {}),
        ...(limits.maxRetryWaitMs !== undefined ? { maxRetryWaitMs: limits.maxRetryWaitMs } : {}),
      },
      undefined,
      networkFor(opts.target),
      opts.link,
    )
    for (const a of Object.values(opts.target.apis ?? {})) {
      this.redactor.add(a.provisioning?.key)
      this.redactor.add(a.sessionExpiry?.key)
    }
    this.env = {
      allowWrites: opts.target.allowWrites,
      // node-soap sends through the transport: the same TLS, proxy, deadline, size cap, slots and pace.
      generated: new GeneratedClients(this.transport),
      runSeed: opts.seed,
      strict: opts.strict ?? false,
      catalogue: opts.catalogue,
      redactor: this.redactor,
      client: (api) => this.client(api),
      users: (api) => this.users(api),
      reader: (api) => this.reader(api),
      offers: (api, binding) => {
        const t = this.opts.target.apis[api]
        return t !== undefined && this.opts.apis.has(api) && targetOffers(t.bindings, binding)
      },
      updateable: (api) => this.opts.target.apis[api]?.updateable ?? this.apiOf(api).user.updateable ?? Object.keys(this.apiOf(api).user.fields),
      ...(opts.journal ? { journal: new Journal(opts.journal.file, opts.target.name, opts.journal.pid, this.redactor) } : {}),
      sessions: this.sessions,
      callerSessions: this.callerSessions,
      known: this.known,
      sessionControl: (api) => this.sessionControl(api),
      placementMissing: (api, users) => {
        const t = this.opts.target.apis[api]
        return t && !t.provisioning ? missingPlacement(t, users) : undefined
      },
    }
  }

  private apiOf(name: string): ApiDescription {
    const api = this.opts.apis.get(name)
    if (!api) throw new ConformError('UNKNOWN_API', 'spec', `unknown api ${name}`)
    return api
  }

  private apiTarget(name: string) {
    const t = this.opts.target.apis[name]
    if (!t) throw new ConformError('NOT_CONFIGURED', 'setup', `target ${this.opts.target.name} does not configure ${name}`)
    return t
  }

  private readonly sessionControls = new Map<string, SessionControl>()

  /** The target's session control for an API (capability `sessionExpiry`), if it offers one. */
  sessionControl(name: string): SessionControl | undefined {
    const t = this.opts.target.apis[name]?.sessionExpiry
    if (!t) return undefined
    let s = this.sessionControls.get(name)
    if (!s) {
      s = new ReferenceSessionControl(name, t, this.opts.target.limits.timeoutMs, this.transport.dispatcher)
      this.sessionControls.set(name, s)
    }
    return s
  }

  client(name: string): ApiClient {
    let c = this.clients.get(name)
    if (!c) {
      c = new ApiClient(this.apiOf(name), this.apiTarget(name).baseUrl, this.transport, this.schemas)
      this.clients.set(name, c)
    }
    return c
  }

  users(name: string): UserSource {
    let s = this.sources.get(name)
    if (!s) {
      const t = this.apiTarget(name)
      s = t.provisioning
        ? new ReferenceUsers(this.apiOf(name), t.provisioning, this.opts.target.limits.timeoutMs, this.transport.dispatcher)
        : new AccountPool(t, this.locks, (account) => this.known.has(account, name) || this.callerSessions.has(name, account))
      this.sources.set(name, s)
    }
    return s
  }

  /** One authenticated reader per API (the read-back role), shared by every check: it only reads and restores. */
  reader(name: string): Promise<{ user: Record<string, unknown>; token: Token }> {
    let r = this.readers.get(name)
    if (!r) {
      r = this.makeReader(name)
      r.catch(() => this.readers.delete(name))
      this.readers.set(name, r)
    }
    return r
  }

  /**
   * What an API's checks share, made before the first of them starts: its reader; the generated clients its
   * `via: generated-client` checks call through are started too. Settles when the reader is made or failed (a check
   * retries what failed).
   */
  prepare(name: string, cases: readonly Check[]): Promise<unknown> {
    const generated = new Set(cases.filter((c) => c.api.api === name && c.spec.via === 'generated-client').map((c) => c.binding))
    // Started here, awaited only by the checks that call through a generated client (GeneratedClients.call): the
    // API's other checks need not wait for a WSDL to be fetched and compiled.
    for (const binding of generated) void this.env.generated.prepare(wsdlUrlOf(this.client(name).baseUrl, this.apiOf(name), binding), binding)
    return Promise.allSettled([this.reader(name)])
  }

  private async makeReader(name: string): Promise<{ user: Record<string, unknown>; token: Token }> {
    const api = this.apiOf(name)
    const role = api.readBack.as
    const t = this.apiTarget(name)
    let user: Record<string, unknown>
    if (t.provisioning) {
      const [u] = await this.users(name).acquire(
        [{ role, ...(api.readBack.with ? { with: api.readBack.with } : {}) }],
        seedFor(this.opts.seed, `reader:${name}:${this.readerAttempts++}`),
      )
      user = { ...u!.attrs, role }
      this.provisionedReaders.push({ api: name, user: u! })
    } else {
      const account = readerAccount(t, api)
      if (!account) throw new ConformError('NO_FIXTURE', 'setup', `the target lists no ${role} account to read users back with`)
      user = { ...Object.fromEntries(Object.entries(account).map(([k, v]) => [k, resolveEnv(v)])), role }
    }
    for (const s of api.user.secrets) this.redactor.add(user[s] as string | undefined)
    const binding = loginBinding(api, undefined, t.bindings)
    if (!binding) throw new ConformError('NO_BINDING', 'setup', `no binding to authenticate over for ${name}`)
    const kept = this.readerSessions.get(name)
    this.readerSessions.delete(name)
    if (kept && kept.binding === binding) return { user, token: kept.token }
    const client = this.client(name)
    const token = await authenticate(api, binding, user, (b, call) => client.call(b, call.operation, buildParams(api, call, undefined)))
    for (const secret of tokenSecrets(token)) this.redactor.add(secret)
    this.sessions.opened(api, binding, token)
    return { user, token }
  }

  /**
   * What the run learnt of a fixture account before its first check (the preflight read it back through `api`'s
   * read-back and logged it in): the state becomes the first check's snapshot and the session its caller's, so neither
   * is sent again; the session is logged out when the run ends. Only for an account `api` lists, read and opened by
   * this run before any check of it has started (nothing of the run can have written it since); others are ignored.
   */
  knowAccount(api: string, account: Record<string, string>, known: { state?: UserState; session?: { binding: BindingName; token: Token } }): void {
    const t = this.opts.target.apis[api]
    const key = accountKey(account)
    if (!t || t.provisioning || !Object.values(t.fixtures).some((list) => list.some((a) => accountKey(a) === key))) return
    if (known.state) this.known.verified(key, api, known.state)
    if (known.session) {
      const { binding, token } = known.session
      for (const secret of tokenSecrets(token)) this.redactor.add(secret)
      this.sessions.opened(this.apiOf(api), binding, token)
      // The reader's own session becomes the run's reader (no login before the API's first check), and no caller's:
      // a check that ends its caller's session must never end the reader's.
      const reader = readerAccount(t, this.apiOf(api))
      if (reader && accountKey(reader) === key && !this.readers.has(api)) this.readerSessions.set(api, { binding, token })
      else this.callerSessions.keep(api, key, token)
    }
  }

  /** Runs one check; it stops early (then restores) when `control.signal` fires or the runner is stopped. */
  run(c: Check, control: CheckControl = {}): Promise<CheckResult> {
    const signal = control.signal ? AbortSignal.any([control.signal, this.stopping.signal]) : this.stopping.signal
    const running = executeCase(c, this.env, () => this.reader(c.api.api), { ...control, signal, ...(control.signal ? { limit: control.signal } : {}) })
    this.inFlight.add(running)
    running.finally(() => this.inFlight.delete(running)).catch(() => undefined)
    return running
  }

  /** Stops every check under way (each goes on to restore its users) and any check that would start. */
  stop(reason: Error): void {
    this.stopping.abort(reason)
  }

  /** Resolves when no check is under way (restores included). */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight])
  }

  /** Runs cases under the target's limits, as a run does (for programmatic use: tests, self-check). */
  async runAll(cases: Check[], concurrency = this.opts.target.limits.concurrency): Promise<CheckResult[]> {
    const { target } = this.opts
    const results: CheckResult[] = new Array(cases.length)
    const pools = fixturePools(target)
    const scheduler = new Scheduler({ concurrency, capacity: (pool) => pools.capacity(pool) })
    cases.forEach((c, i) =>
      scheduler.add({
        group: c.api.api,
        needs: accountsNeeded(c, target, pools),
        run: async () => {
          results[i] = await this.run(c)
        },
      }),
    )
    await scheduler.idle()
    return results
  }

  /** Waits for checks under way to finish (a cancelled or timed-out test's check still restores), then closes. */
  async close(): Promise<void> {
    await this.settled()
    // A reader still being made (a run stopped as it began) is made first: else it would be made after its users were removed.
    await Promise.allSettled([...this.readers.values()])
    try {
      // Fixture accounts' sessions only: a target that provisions users (the embedded reference) removes the run's users
      // next, in one request per API, and their sessions go with them (a logout each would be a request per login).
      await this.sessions.logOutAll(
        (api) => this.client(api),
        this.opts.target.limits.concurrency,
        (api) => !this.opts.target.apis[api]?.provisioning,
      )
      for (const r of this.provisionedReaders.splice(0)) await this.users(r.api).release([r.user])
      for (const source of this.sources.values()) await source.close?.()
    } finally {
      await this.transport.close()
    }
  }
}

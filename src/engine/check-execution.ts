import type { BindingName, ParamValue, WireRequest } from '../bindings/types.ts'
import { ConformError } from '../errors.ts'
import { walk } from '../expr.ts'
import { fakeSource, seedFor, type FakeName } from '../fake.ts'
import type { Redactor } from '../redact.ts'
import type { Catalogue } from '../catalogue.ts'
import type { ApiDescription, Spec } from '../spec/model.ts'
import type { ApiClient, CallResult } from './client.ts'
import type { UserState } from './expectations.ts'
import type { UserSource } from './fixtures.ts'
import type { Check } from './plan.ts'
import type { CheckStep, ExchangePurpose, Failure, RecordedExchange, StepName } from './result.ts'
import { scanWireAnswer, secretFinders, type SecretFinders } from './leaks.ts'
import { authenticate, isCredentials, loginBinding, tokenSecrets, type Token } from './authenticate.ts'
import { resolveParams } from '../spec/params.ts'
import { locateIn, type Nil } from '../yaml/source.ts'
import { wsdlUrlOf, type GeneratedClients } from './generated-client.ts'
import type { Journal } from './journal.ts'
import type { OpenSessions } from './sessions.ts'
import type { KnownStates } from './known-states.ts'
import type { CallerSessions, SessionReuse } from './session-reuse.ts'
import type { SessionControl } from './session-control.ts'
import { restoresAtOnce } from './restorable.ts'
import { differences, readBackParams, readBackState, restoreParams, type Resolve } from './user-state.ts'
import { RetriesExhausted } from '../transport/retry.ts'
import { wireTimeOf } from '../transport/index.ts'
import { capText, MAX_FAILURE_MESSAGE, MAX_RECORDED_BODY } from './record-cap.ts'

export interface RunEnvironment {
  allowWrites: boolean
  generated: GeneratedClients
  runSeed: number
  strict: boolean
  catalogue: Catalogue
  redactor: Redactor
  client(api: string): ApiClient
  users(api: string): UserSource
  /** Whether the target offers this API (over this binding). */
  offers(api: string, binding: BindingName): boolean
  /** The shared, authenticated read-back user of an API. */
  reader(api: string): Promise<{ user: Record<string, unknown>; token: Token }>
  /** Logical user fields the target lets this API update. */
  updateable(api: string): readonly string[]
  /** Where fixture users' snapshots go before a check touches them (absent: no journal, e.g. the self-check). */
  journal?: Journal
  /** Sessions opened by logging in, logged out when the run ends. */
  sessions?: OpenSessions
  /** Callers' sessions kept for the next check of the same account (session-reuse.ts); absent: every check logs in. */
  callerSessions?: CallerSessions
  /** The state the run last verified of each fixture account (known-states.ts); absent: every check snapshots afresh. */
  known?: KnownStates
  /** The target's way to expire a session of this API on demand, if it offers one (session-control.ts). */
  sessionControl?(api: string): SessionControl | undefined
  /** Why a configured target cannot place these users as asked (no account with that placement), if it cannot. */
  placementMissing?(api: string, users: ReadonlyArray<{ role: string; with?: Readonly<Record<string, string>> }>): string | undefined
}

/** How one check may be stopped early: a signal (vitest's cancel or timeout), and a deadline for waits (epoch ms). */
export interface CheckControl {
  signal?: AbortSignal
  deadlineAt?: number
  /**
   * The check's own stop (its time limit), apart from the run's: a check whose calls ended in time but which was still
   * restoring its users when it fired ran longer than its limit all the same, and fails so (Runner.run sets it).
   */
  limit?: AbortSignal
}

/** Purposes of requests that only read: a read after every other request of a check shows the user as it ends. */
const READS: ReadonlySet<ExchangePurpose> = new Set(['snapshot', 'establish read', 'read back', 'session check', 'restore read'])

/** What a call presents as its caller: a token, a nil token, no token at all ('omit'), or nothing to present. */
export type CallerToken = Token | Nil | 'omit' | undefined

/** A fixture user for the clean-up to put back (CheckExecution.putBack). */
export interface PutBack {
  user: Record<string, unknown>
  /** Its snapshot: what it is put back to. */
  before: UserState
  /** The fields the check's requests could set (undefined: anything). */
  mayChange: readonly string[] | undefined
  /** The check's last read, when it came after all the check sent (and differs from the snapshot). */
  final?: UserState
}

export interface PutBackResult {
  /** Fields that still differ from what was put back. */
  wrong: string[]
  /** Fields another writer changed, left as found. */
  interfered: string[]
  state: UserState
}

/** One call as CheckExecution sends it. */
export interface OutgoingCall {
  binding: BindingName
  call: { operation: string; params: Record<string, unknown> }
  token: CallerToken
  via?: Spec['via']
  purpose?: ExchangePurpose
}

/** How one of several calls sent at once ended. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: Error }

type IssuedOutcome = { ok: true; request: WireRequest; result: CallResult } | { ok: false; request: WireRequest; error: unknown; endedAt: number }

/** A call sent, its answer not yet recorded. */
interface Issued {
  binding: BindingName
  operation: string
  token: CallerToken
  purpose: ExchangePurpose
  startedAt: string
  t0: number
  outcome: Promise<IssuedOutcome>
}

/**
 * Params in the order the operation declares them (nested groups resolved leaf by leaf); the caller's token goes
 * into the operation's token parameter, or credentials into their own parameters, unless the call gives them.
 */
export function buildParams(
  api: ApiDescription,
  call: { operation: string; params: Record<string, unknown> },
  token: CallerToken,
): Array<[string, ParamValue]> {
  const op = api.operations[call.operation]
  const supplied = (name: string): unknown => {
    if (Object.hasOwn(call.params, name)) return call.params[name]
    if (isCredentials(token)) return token.params[name]
    if (name === op?.token && token !== 'omit') return token
    return undefined
  }
  const out = resolveParams(op?.params ?? [], supplied)
  for (const special of ['$raw', '$contentType']) {
    const v = call.params[special]
    if (typeof v === 'string') out.push([special, v])
  }
  return out
}

/** One check in progress: what it has sent, met and found so far. */
export class CheckExecution {
  readonly failures: Failure[]
  readonly exchanges: RecordedExchange[]
  /** Requests to the reference's control endpoint (provisioning): in the HAR only. */
  readonly control: RecordedExchange[]
  readonly answers: Record<string, unknown>
  readonly users: Record<string, Record<string, unknown>>
  readonly vars: Record<string, unknown>
  readonly tokens: Set<string>
  readonly steps: CheckStep[]
  /** The last state read back of each user (`<api>:<user key>`): what the clean-up compares with to spot another writer. */
  readonly lastRead: Map<string, UserState>
  /** Requests other than reads sent so far (`sent`), and how many had been sent at each user's last read (`readAt`). */
  private readonly sends: { sent: number; readAt: Map<string, number> }
  /** The step under way: what a read is for (a snapshot, a read back, a restore's look). */
  private currentStep: StepName | undefined
  /** Stops the check's own calls early; cleared before the restore, which must always run to the end. */
  signal: AbortSignal | undefined
  readonly deadlineAt: number | undefined
  private readonly fake: (n: FakeName) => string
  private readonly c: Check
  readonly env: RunEnvironment
  private readonly client: ApiClient
  /** The leak scan's finders, by the secrets they look for. */
  private readonly finders = new Map<string, SecretFinders>()

  /** With `of`, the same run through another API (throughApi): same users, values, findings and record. */
  constructor(c: Check, env: RunEnvironment, control: CheckControl, of?: CheckExecution) {
    this.c = c
    this.env = env
    this.client = env.client(c.api.api)
    this.fake = of?.fake ?? fakeSource(seedFor(env.runSeed, `${c.id}#values`))
    this.failures = of?.failures ?? []
    this.exchanges = of?.exchanges ?? []
    this.control = of?.control ?? []
    this.answers = of?.answers ?? {}
    this.users = of?.users ?? {}
    this.vars = of?.vars ?? {}
    this.tokens = of?.tokens ?? new Set<string>()
    this.steps = of?.steps ?? []
    this.lastRead = of?.lastRead ?? new Map()
    this.sends = of?.sends ?? { sent: 0, readAt: new Map() }
    this.signal = control.signal
    this.deadlineAt = control.deadlineAt
  }

  /** The same run speaking to another API (cross-API checks). */
  throughApi(api: ApiDescription): CheckExecution {
    return new CheckExecution(
      { ...this.c, api },
      this.env,
      { ...(this.signal ? { signal: this.signal } : {}), ...(this.deadlineAt !== undefined ? { deadlineAt: this.deadlineAt } : {}) },
      this,
    )
  }

  /** Throws when the check was stopped (cancelled run, test timeout): what follows is the restore. */
  checkStopped(): void {
    const s = this.signal
    if (s?.aborted)
      throw new ConformError(
        'INTERRUPTED',
        'setup',
        `the check was stopped before it finished (${(s.reason as Error | undefined)?.message ?? 'cancelled'}); its users were restored`,
      )
  }

  get api(): ApiDescription {
    return this.c.api
  }

  private wsdlUrl(binding: BindingName): string {
    return wsdlUrlOf(this.client.baseUrl, this.api, binding)
  }

  /** Resolver for spec templates. */
  readonly specScope: Resolve = (path) => {
    const [root = '', ...rest] = path
    if (root === 'fake') return this.fake(rest[0] as FakeName)
    if (root === 'vars') return this.vars[rest[0] ?? '']
    if (root === 'answers') return walk(this.answers, rest)
    return this.users[root] ? walk(this.users[root], rest) : undefined
  }

  locate = (path: Array<string | number>): string => {
    const l = locateIn(this.c.spec.file, this.c.spec.positions, path)
    return `${l.file}:${l.line}:${l.column}`
  }

  /** Secrets known so far out of a text about to be cut (a secret cut in two is no longer recognised). */
  private readonly redact = (text: string): string => this.env.redactor.redact(text)

  /** What goes into the record, capped (record-cap.ts): a long body or message keeps its start and a note of the cut. */
  private recorded(request: RecordedExchange['request']): RecordedExchange['request'] {
    return request.body === undefined || request.body.length <= MAX_RECORDED_BODY
      ? request
      : { ...request, body: capText(request.body, MAX_RECORDED_BODY, this.redact) }
  }

  fail(category: Failure['category'], behaviours: string[], message: string): void {
    this.failures.push({ category, behaviours, message: capText(message, MAX_FAILURE_MESSAGE, this.redact) })
  }

  /** Runs one phase of the check and records it as a step: its exchanges, and whether it added failures or threw. */
  async step<T>(name: StepName, detail: string | undefined | (() => string | undefined), fn: () => Promise<T>): Promise<T> {
    const startedAt = new Date().toISOString()
    const t0 = performance.now()
    const firstExchange = this.exchanges.length
    const failuresBefore = this.failures.length
    const record = (status: CheckStep['status'], message?: string) => {
      const said = typeof detail === 'function' ? detail() : detail
      this.steps.push({
        name,
        ...(said ? { detail: said } : {}),
        status,
        startedAt,
        durationMs: Math.round(performance.now() - t0),
        exchanges: Array.from({ length: this.exchanges.length - firstExchange }, (_, i) => firstExchange + i),
        ...(message ? { message: capText(message, MAX_FAILURE_MESSAGE, this.redact) } : {}),
      })
    }
    const outer = this.currentStep
    this.currentStep = name
    try {
      if (name !== 'restore') this.checkStopped()
      const result = await fn()
      const added = this.failures.slice(failuresBefore)
      record(added.length ? 'failed' : 'passed', added.map((f) => f.message).join('\n') || undefined)
      return result
    } catch (e) {
      record('broken', (e as Error).message)
      throw e
    } finally {
      this.currentStep = outer
    }
  }

  /** Every answer: X-1 wire problems fail; findings are advisory. */
  async call(
    binding: BindingName,
    call: { operation: string; params: Record<string, unknown> },
    token: CallerToken,
    via: Spec['via'] = 'suite',
    purpose: ExchangePurpose = 'call',
  ): Promise<CallResult> {
    const sent = this.issue({ binding, call, token, via, purpose })
    return this.settle(sent, await sent.outcome)
  }

  /**
   * Calls sent at once, each settling on its own, recorded in the order given: the record (exchanges, findings) is the
   * same whichever answers first. A call that failed is its error, after every other call was recorded.
   */
  async callsAtOnce(calls: ReadonlyArray<OutgoingCall | (() => OutgoingCall)>): Promise<Array<Settled<CallResult>>> {
    // A call that cannot be made (its params, its encoding) is its own error, sent nothing, and stops no other.
    const sent = calls.map((c): Issued | Error => {
      try {
        return this.issue(typeof c === 'function' ? c() : c)
      } catch (e) {
        return e as Error
      }
    })
    const out: Array<Settled<CallResult>> = []
    for (const s of sent) {
      if (s instanceof Error) {
        out.push({ ok: false, error: s })
        continue
      }
      const outcome = await s.outcome
      try {
        out.push({ ok: true, value: this.settle(s, outcome) })
      } catch (e) {
        out.push({ ok: false, error: e as Error })
      }
    }
    return out
  }

  /** Sends a call (counted before it is sent: a request that fails or times out may still have reached the target). */
  private issue(c: OutgoingCall): Issued {
    const { binding, call, token, via = 'suite', purpose = 'call' } = c
    if (!READS.has(purpose)) this.sends.sent++
    const params = buildParams(this.api, call, token)
    const startedAt = new Date().toISOString()
    const t0 = performance.now()
    const request = via === 'suite' ? this.client.encode(binding, call.operation, params) : { method: 'POST' as const, url: this.wsdlUrl(binding), headers: {} }
    const outcome = (async (): Promise<IssuedOutcome> => {
      try {
        if (via === 'suite') return { ok: true, request, result: await this.client.send(binding, call.operation, request, this.signal, this.deadlineAt) }
        const made = await this.env.generated.call(this.wsdlUrl(binding), binding, call.operation, params, this.api)
        return { ok: true, request: made.request, result: this.client.interpret(binding, call.operation, made.request, made.answer) }
      } catch (e) {
        return { ok: false, request, error: e, endedAt: performance.now() }
      }
    })()
    return { binding, operation: call.operation, token, purpose, startedAt, t0, outcome }
  }

  /** Records what came back of a call (its exchange, its findings); throws its error if it failed. */
  private settle(s: Issued, o: IssuedOutcome): CallResult {
    const { binding, operation, token, purpose, startedAt, t0 } = s
    if (!o.ok) {
      const e = o.error
      const err = e instanceof ConformError ? e : new ConformError('CALL_FAILED', 'transport', `${operation}: ${(e as Error).message}`)
      // On the wire, when it got there: not its wait for a slot, nor the calls recorded before it.
      const wire = wireTimeOf(e)
      this.exchanges.push({
        operation,
        purpose,
        startedAt: wire?.startedAt ?? startedAt,
        durationMs: Math.round(wire?.durationMs ?? o.endedAt - t0),
        request: this.recorded(o.request),
        error: capText(err.message, MAX_FAILURE_MESSAGE, this.redact),
        ...(err instanceof RetriesExhausted ? { retries: err.retries } : {}),
      })
      this.checkStopped()
      throw err
    }
    const result = o.result
    // On the wire, as the transport saw it: not the wait for a request slot, nor encoding and decoding.
    const sent = result.answer.sent
    this.exchanges.push({
      operation,
      purpose,
      startedAt: sent?.startedAt ?? startedAt,
      durationMs: Math.round(sent?.durationMs ?? performance.now() - t0),
      request: this.recorded(result.request),
      response: { status: result.answer.status, headers: result.answer.headers, body: capText(result.answer.body, MAX_RECORDED_BODY, this.redact) },
      ...(result.answer.retries?.length ? { retries: result.answer.retries } : {}),
    })
    for (const p of result.outcome.problems) this.fail('schema', p.behaviours, `${operation} over ${binding}: ${p.message}`)
    if (result.schemaErrors.length) {
      this.fail(
        'schema',
        this.api.operations[operation]?.answer.behaviours ?? this.c.spec.covers,
        `${operation} answer does not match ${this.api.operations[operation]?.answer.schema}: ${result.schemaErrors.join('; ')}`,
      )
    }
    const passwords = Object.values(this.users)
      .flatMap((u) => this.api.user.secrets.map((s) => u[s]))
      .filter((s): s is string => typeof s === 'string')
    const foreignTokens = operation === this.api.auth.login?.operation ? [] : [...this.tokens].filter((t) => t !== token)
    // Body and headers alike: a cookie or a debug header carries a secret as far as a body does.
    // The finders of a set of secrets, kept for the check's later answers (building one encodes every secret).
    const key = `${passwords.join('\u0000')}\u0001${foreignTokens.join('\u0000')}`
    let finders = this.finders.get(key)
    if (!finders) {
      finders = secretFinders({ passwords, tokens: foreignTokens })
      this.finders.set(key, finders)
    }
    for (const f of scanWireAnswer(result.answer, finders)) this.fail('behaviour', [f.behaviour], `${operation} over ${binding}: ${f.message}`)
    return result
  }

  async login(binding: BindingName, user: Record<string, unknown>): Promise<Token> {
    const over = loginBinding(this.api, binding) ?? binding
    const token = await authenticate(this.api, over, user, (b, call) => this.call(b, call, undefined, 'suite', 'login'))
    for (const secret of tokenSecrets(token)) this.env.redactor.add(secret)
    if (typeof token === 'string') this.tokens.add(token)
    this.env.sessions?.opened(this.api, over, token)
    return token
  }

  /**
   * The caller's session for a check that may reuse one (session-reuse.ts): the one an earlier check of the same
   * account kept, else a login, kept for the next. Every session is logged out when the run ends (sessions.ts).
   */
  async session(
    binding: BindingName,
    user: Record<string, unknown>,
    account: string,
    reuse: Exclude<SessionReuse, 'never'>,
  ): Promise<{ token: Token; reused: boolean }> {
    const kept = this.env.callerSessions?.get(this.api.api, account, reuse)
    if (kept !== undefined) {
      if (typeof kept === 'string') this.tokens.add(kept)
      return { token: kept, reused: true }
    }
    const token = await this.login(binding, user)
    this.env.callerSessions?.keep(this.api.api, account, token)
    return { token, reused: false }
  }

  /** A kept session the target no longer accepted: a new one in its place. */
  async renewSession(binding: BindingName, user: Record<string, unknown>, account: string, reuse: Exclude<SessionReuse, 'never'>): Promise<Token> {
    this.env.callerSessions?.drop(this.api.api, account)
    return (await this.session(binding, user, account, reuse)).token
  }

  /** A call with a kept session showed the target accepted it: it is trusted a while longer. */
  sessionAccepted(account: string, token: Token): void {
    this.env.callerSessions?.keep(this.api.api, account, token)
  }

  /** Reads a user through the API's read-back call, as the reader role. */
  async readBack(binding: BindingName, user: Record<string, unknown>, readerToken: Token, purpose: ExchangePurpose = this.readPurpose()): Promise<UserState> {
    return this.noteRead(user, binding, await this.call(binding, this.readCall(user), readerToken, 'suite', purpose))
  }

  /** Reads users back at once (recorded in the order given); the first that failed throws, once all are recorded. */
  async readBacks(binding: BindingName, users: ReadonlyArray<Record<string, unknown>>, readerToken: Token): Promise<UserState[]> {
    const purpose = this.readPurpose()
    const answers = await this.callsAtOnce(users.map((u) => () => ({ binding, call: this.readCall(u), token: readerToken, purpose })))
    let failed: Error | undefined
    const states = answers.map((a, i) => {
      try {
        if (!a.ok) throw a.error
        return this.noteRead(users[i]!, binding, a.value)
      } catch (e) {
        failed ??= e as Error
        return undefined
      }
    })
    if (failed) throw failed
    return states as UserState[]
  }

  private readCall(user: Record<string, unknown>): { operation: string; params: Record<string, unknown> } {
    return { operation: this.api.readBack.call.operation, params: readBackParams(this.api, user) }
  }

  /** A read's answer as the user's state, kept as the check's last look at that user. */
  private noteRead(user: Record<string, unknown>, binding: BindingName, r: CallResult): UserState {
    const state = readBackState(this.api, binding, user, r)
    const key = this.userKey(user)
    this.lastRead.set(key, state)
    this.sends.readAt.set(key, this.sends.sent)
    return state
  }

  private userKey(user: Record<string, unknown>): string {
    return `${this.api.api}:${String(user[this.api.user.key])}`
  }

  private readPurpose(): ExchangePurpose {
    switch (this.currentStep) {
      case 'snapshot':
        return 'snapshot'
      case 'establish':
        return 'establish read'
      case 'restore':
        return 'restore read'
      default:
        return 'read back'
    }
  }

  /**
   * The user as the check leaves it, when the check's last read of it (through this API) came after every other
   * request the check sent: nothing it did can have changed the user since. Undefined otherwise.
   */
  finalRead(user: Record<string, unknown>): UserState | undefined {
    const key = this.userKey(user)
    return this.sends.readAt.get(key) === this.sends.sent ? this.lastRead.get(key) : undefined
  }

  /**
   * The clean-up's restore of fixture users: each is read first, and only what differs is put back. A field the check's
   * requests could not set (`mayChange`: the fields they could; undefined: anything) that still matched the snapshot
   * at the check's last look and differs now was changed by someone else (another run on the same account): it is
   * left as found, never overwritten blindly, and reported. A field already changed at the check's last look after its
   * request is the check's doing (the target's side effect included) and is put back.
   *
   * `final`: the check's last read, when it came after all the check sent and differs from the snapshot (a write is
   * due). When the restore call writes only fields the check's requests could set, a look first could keep none of
   * another writer's values from that write (they are the fields no look can tell apart): the write goes out at once,
   * and the read after it tells another writer's changes to the other fields, which the write left alone.
   *
   * The users are restored side by side, a round trip at a time (each one's look, then each one's write, then each
   * one's read after it), recorded in the order given. Each settles on its own: one that fails does not stop the others.
   */
  async putBack(binding: BindingName, users: readonly PutBack[], readerToken: Token): Promise<Array<Settled<PutBackResult>>> {
    type Job = {
      u: PutBack
      lastLook: UserState
      /** The next request: a look, the write, the read after it (none: settled). */
      next: 'look' | 'write' | 'after' | undefined
      goal: UserState
      interfered: string[] | undefined
      settled?: Settled<PutBackResult>
    }
    const foreignIn = (j: Job, now: UserState) =>
      j.u.mayChange === undefined
        ? []
        : Object.keys(j.u.before).filter((f) => !j.u.mayChange!.includes(f) && now[f] !== j.u.before[f] && j.lastLook[f] === j.u.before[f])
    // What another writer changed (left as found, and said), and so what the user is put back to.
    const judge = (j: Job, now: UserState) => {
      const foreign = foreignIn(j, now)
      j.interfered = foreign.map((f) => `field ${f} changed by someone else (snapshot ${JSON.stringify(j.u.before[f])}, found ${JSON.stringify(now[f])})`)
      j.goal = { ...j.u.before, ...Object.fromEntries(foreign.map((f) => [f, now[f]])) }
    }
    const jobs: Job[] = users.map((u) => ({
      u,
      lastLook: this.lastRead.get(this.userKey(u.user)) ?? u.before,
      next: u.final && restoresAtOnce(this.api.restorable, u.mayChange) ? 'write' : 'look',
      goal: u.before,
      interfered: undefined,
    }))
    for (;;) {
      const due = jobs.filter((j) => j.next !== undefined)
      if (due.length === 0) break
      // Each call made when it is sent: one that cannot be made (a snapshot without a value the restore call needs)
      // fails its own user only.
      const answers = await this.callsAtOnce(
        due.map((j) =>
          j.next === 'write'
            ? () => ({
                binding,
                call: { operation: this.api.restore.call.operation, params: restoreParams(this.api, j.u.user, j.goal) },
                token: readerToken,
                purpose: 'restore write' as const,
              })
            : () => ({ binding, call: this.readCall(j.u.user), token: readerToken, purpose: 'restore read' as const }),
        ),
      )
      due.forEach((j, i) => {
        const a = answers[i]!
        const step = j.next
        j.next = undefined
        try {
          if (!a.ok) throw a.error
          if (step === 'write') {
            j.next = 'after'
            return
          }
          const now = this.noteRead(j.u.user, binding, a.value)
          if (step === 'look') {
            judge(j, now)
            if (differences(j.goal, now).length === 0) j.settled = { ok: true, value: { wrong: [], interfered: j.interfered!, state: now } }
            else j.next = 'write'
            return
          }
          // Written at once: the read after the write is the first look since the check's last.
          if (j.interfered === undefined) judge(j, now)
          j.settled = { ok: true, value: { wrong: differences(j.goal, now), interfered: j.interfered!, state: now } }
        } catch (e) {
          j.settled = { ok: false, error: e as Error }
        }
      })
    }
    return jobs.map((j) => j.settled!)
  }

  async restore(binding: BindingName, user: Record<string, unknown>, before: UserState, readerToken: Token): Promise<string[]> {
    // A read-only check should have changed nothing: look first, and write only if it did.
    if (!this.c.writes && differences(before, await this.readBack(binding, user, readerToken, 'restore read')).length === 0) return []
    await this.call(
      binding,
      { operation: this.api.restore.call.operation, params: restoreParams(this.api, user, before) },
      readerToken,
      'suite',
      'restore write',
    )
    return differences(before, await this.readBack(binding, user, readerToken, 'restore read'))
  }
}

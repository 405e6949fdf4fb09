import { getGlobalDispatcher, type Dispatcher } from 'undici'
import { resolveEnv } from '../config.ts'
import { ConformError } from '../errors.ts'
import { evaluateValue } from '../expr.ts'
import { fakeSource, type FakeName } from '../fake.ts'
import type { ApiDescription } from '../spec/model.ts'
import { accountClasses, accountKey, hasDisposable, isDisposable, type AccountClass } from './accounts.ts'
import { exchange } from '../transport/exchange.ts'
import { placementAsked, placementOf } from './placement.ts'
import type { RecordedExchange } from './result.ts'
import type { ResolvedApiTarget } from './target.ts'

/**
 * What a check asks for: a user of a role, with starting values (provisioning targets only); `risky` when the check
 * could change what a restore cannot put back (then a fixture account must be a disposable one).
 */
export interface UserRequest {
  role: string
  with?: Record<string, string>
  risky?: boolean
}

/** A user a check may act as or on. `provisioned` users are throwaway; fixture accounts are restored. */
export interface FixtureUser {
  role: string
  attrs: Record<string, string>
  provisioned: boolean
  /** A fixture account's identity (accounts.ts accountKey): what the run knows of it is keyed by this. */
  account?: string
}

/** Receives each request made to the reference's control endpoint (it goes into the HAR, with the check's own). */
export type ControlRecorder = (exchange: RecordedExchange) => void

export interface UserSource {
  /** All users of one check at once (so two checks can never each hold half of what the other needs). */
  acquire(requests: UserRequest[], seed: number, record?: ControlRecorder): Promise<FixtureUser[]>
  release(users: FixtureUser[], record?: ControlRecorder): Promise<void>
  /** When the run ends: anything left to undo (the reference's provisioned users are removed here). */
  close?(): Promise<void>
  /** Provisioned users can start with any values; fixture accounts cannot. */
  readonly canProvision: boolean
  /** Fixture accounts: whether there are enough disposable accounts of these roles for a risky check. */
  hasDisposable?(roles: readonly string[]): boolean
}

/**
 * The reference's control endpoint; `origin: 'seeded'` marks the users made as fixture accounts (`conform serve
 * --write-config`), so that its users listing tells them from a run's throwaway users.
 */
export interface ReferenceControl {
  readonly url: string
  readonly key: string
  readonly origin?: 'seeded'
}

/** Draws of a user whose key another user already has, before provisioning gives up. */
const MAX_DRAWS = 4

/** The reference target: a fresh user per request, made through its control endpoint. */
export class ReferenceUsers implements UserSource {
  readonly canProvision = true
  private readonly api: ApiDescription
  private readonly control: ReferenceControl
  private readonly timeoutMs: number
  private readonly dispatcher: Dispatcher | undefined
  private readonly leftover: string[] = []

  /** `dispatcher`: the run transport's, so that provisioning shares its TLS and proxy settings. */
  constructor(api: ApiDescription, control: ReferenceControl, timeoutMs: number, dispatcher?: Dispatcher) {
    this.api = api
    this.control = control
    this.timeoutMs = timeoutMs
    this.dispatcher = dispatcher
  }

  async acquire(requests: UserRequest[], seed: number, record?: ControlRecorder): Promise<FixtureUser[]> {
    const fake = fakeSource(seed)
    const resolve = (path: string[]) => (path[0] === 'fake' ? fake(path[1] as FakeName) : undefined)
    // One group per check: the reference keeps a check's users together (same network, mailbox, …) unless told otherwise.
    const group = `g${seed.toString(36)}`
    const draw = (r: UserRequest): FixtureUser => {
      const attrs: Record<string, string> = {}
      for (const [k, v] of Object.entries(this.api.user.provision)) attrs[k] = String(evaluateValue(v, resolve))
      return { role: r.role, attrs: { ...attrs, ...r.with }, provisioned: true }
    }
    const users = requests.map(draw)
    for (let i = 0; i < users.length; i++) {
      // Faces of one store (ECGridOS, its live profile, ECGrid REST) provision into one user table, each from seeds of
      // its own: a drawn login another face already took is drawn again (the next draw of the same seeded source).
      for (let attempt = 1; ; attempt++) {
        const made = await this.post(users[i]!, group, record, attempt < MAX_DRAWS)
        if (made) {
          Object.assign(users[i]!.attrs, made)
          break
        }
        users[i] = draw(requests[i]!)
      }
    }
    return users
  }

  /**
   * Provisioned users are throwaway and each check makes its own: they are removed together when the run ends
   * (`close`), one request per API instead of one per user while the checks run.
   */
  async release(users: FixtureUser[]): Promise<void> {
    for (const u of users) this.leftover.push(u.attrs[this.api.user.key] ?? '')
  }

  /** Removes every user released so far. */
  async close(): Promise<void> {
    const users = this.leftover.splice(0)
    if (users.length === 0) return
    const { status, text } = await this.send('POST', `/__reference/${this.api.api}/users/removal`, JSON.stringify({ users }))
    if (status !== 200)
      throw new ConformError(
        'PROVISION_FAILED',
        'setup',
        `the reference did not remove the run's ${this.api.api} users (HTTP ${status}: ${text.slice(0, 200)})`,
      )
  }

  /** Creates the user; what the reference assigns (ids, API keys) comes back as attributes. */
  /** Creates the user; undefined when its key is taken and `redraw` allows another draw (HTTP 409). */
  private async post(user: FixtureUser, group: string, record?: ControlRecorder, redraw = false): Promise<Record<string, string> | undefined> {
    const body = JSON.stringify({ ...user.attrs, role: user.role, ...(this.api.user.provisionGroups ? { group } : {}) })
    const { status, text } = await this.send('POST', `/__reference/${this.api.api}/users`, body, record, this.control.origin)
    if (status === 409 && redraw) return undefined
    if (status !== 201) {
      throw new ConformError('PROVISION_FAILED', 'setup', `the reference refused to provision a ${user.role} user (HTTP ${status}: ${text.slice(0, 200)})`)
    }
    const assigned = JSON.parse(text || '{}') as Record<string, unknown>
    return Object.fromEntries(
      Object.entries(assigned)
        .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
        .map(([k, v]) => [k, String(v)]),
    )
  }

  private async send(
    method: 'POST',
    path: string,
    body: string | undefined,
    record?: ControlRecorder,
    origin?: string,
  ): Promise<{ status: number; text: string }> {
    const url = `${this.control.url}${path}`
    const headers: Record<string, string> = {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      'x-reference-control': this.control.key,
      ...(origin !== undefined ? { 'x-reference-origin': origin } : {}),
    }
    const startedAt = new Date().toISOString()
    const t0 = performance.now()
    const got = await exchange(this.dispatcher ?? getGlobalDispatcher(), { method, url, headers, ...(body !== undefined ? { body } : {}) }, this.timeoutMs)
    const text = got.body.toString('utf8')
    record?.({
      operation: `reference control: ${method} ${path.split('/').slice(0, 4).join('/')}`,
      startedAt,
      durationMs: Math.round(performance.now() - t0),
      request: { method, url, headers, ...(body !== undefined ? { body } : {}) },
      response: { status: got.status, headers: got.headers, body: text },
    })
    return { status: got.status, text }
  }
}

/**
 * Which fixture accounts are held, across every API of a run: two APIs of one backend may list the same account, and
 * a check through either holds the one user.
 */
export class AccountLocks {
  private readonly held = new Set<string>()
  private waiters: Array<() => void> = []

  isHeld(key: string): boolean {
    return this.held.has(key)
  }

  take(keys: string[]): void {
    for (const k of keys) this.held.add(k)
  }

  free(keys: string[]): void {
    for (const k of keys) this.held.delete(k)
    const waiting = this.waiters
    this.waiters = []
    for (const w of waiting) w()
  }

  /** Resolves the next time an account is freed. */
  changed(): Promise<void> {
    return new Promise<void>((resolve) => this.waiters.push(resolve))
  }
}

/** A configured target: fixture accounts per role, each used by one check at a time. */
export class AccountPool implements UserSource {
  readonly canProvision = false
  private readonly target: ResolvedApiTarget
  private readonly accounts: Array<{ role: string; raw: Record<string, string>; key: string; cls: AccountClass }>
  /** Which account each lent user is, so release never has to guess. */
  private readonly lent = new WeakMap<FixtureUser, string>()
  private readonly locks: AccountLocks
  private readonly warm: (account: string) => boolean

  /**
   * `locks`: shared by the run's pools, so that an account two APIs list is held once. `warm`: accounts the run knows
   * already (a verified state, a session kept): lent first among the free ones, so a check needs no snapshot or login.
   */
  constructor(target: ResolvedApiTarget, locks: AccountLocks = new AccountLocks(), warm: (account: string) => boolean = () => false) {
    this.target = target
    this.accounts = Object.entries(target.fixtures).flatMap(([role, list]) =>
      list.map((raw) => ({ role, raw, key: accountKey(raw), cls: isDisposable(target, raw) ? ('disposable' as const) : ('ordinary' as const) })),
    )
    this.locks = locks
    this.warm = warm
  }

  hasDisposable(roles: readonly string[]): boolean {
    return hasDisposable(this.target, roles)
  }

  async acquire(requests: UserRequest[]): Promise<FixtureUser[]> {
    // Ordinary checks take ordinary accounts first, then disposable ones (as the scheduler counts them); risky checks
    // only disposable ones.
    const fits = (r: UserRequest) => {
      const classes = accountClasses(r.risky ?? false)
      const placement = placementAsked(r.with) || undefined
      return (x: { role: string; cls: AccountClass; raw: Record<string, string> }) =>
        x.role === r.role && classes.includes(x.cls) && placementOf(x.raw) === placement
    }
    for (const r of requests) {
      const have = this.accounts.filter(fits(r)).length
      const need = requests.filter((x) => x.role === r.role && placementAsked(x.with) === placementAsked(r.with)).length
      if (have < need) {
        const kind = r.risky ? `disposable ${r.role}` : r.role
        throw new ConformError('NO_FIXTURE', 'setup', `the check needs ${need} ${kind} account(s); the target's config lists ${have}`)
      }
    }
    for (;;) {
      const picked: typeof this.accounts = []
      for (const r of requests) {
        const fitting = this.accounts.filter((x) => fits(r)(x) && !this.locks.isHeld(x.key) && !picked.some((p) => p.key === x.key))
        const cls = accountClasses(r.risky ?? false).find((c) => fitting.some((x) => x.cls === c))
        const free = fitting.filter((x) => x.cls === cls)
        const a = free.find((x) => this.warm(x.key)) ?? free[0]
        if (a) picked.push(a)
      }
      if (picked.length === requests.length) {
        this.locks.take(picked.map((a) => a.key))
        return picked.map((a) => {
          const user: FixtureUser = {
            role: a.role,
            attrs: Object.fromEntries(Object.entries(a.raw).map(([k, v]) => [k, resolveEnv(v)])),
            provisioned: false,
            account: a.key,
          }
          this.lent.set(user, a.key)
          return user
        })
      }
      await this.locks.changed()
    }
  }

  async release(users: FixtureUser[]): Promise<void> {
    const keys: string[] = []
    for (const u of users) {
      const key = this.lent.get(u)
      if (key !== undefined) keys.push(key)
      this.lent.delete(u)
    }
    this.locks.free(keys)
  }
}

/**
 * Takes a check's users unless the check is stopped first (a pool can make it wait for busy accounts); users
 * granted after the stop go straight back. `stopped` throws the check's stop error.
 */
export function acquireUnlessStopped(
  source: UserSource,
  requests: Parameters<UserSource['acquire']>[0],
  seed: number,
  signal: AbortSignal | undefined,
  stopped: () => void,
  record?: ControlRecorder,
): Promise<FixtureUser[]> {
  const acquiring = source.acquire(requests, seed, record)
  if (!signal) return acquiring
  return new Promise<FixtureUser[]>((resolve, reject) => {
    const onStop = () => {
      acquiring
        .then(
          (users) => source.release(users),
          () => undefined,
        )
        .catch(() => undefined)
      try {
        stopped()
      } catch (e) {
        reject(e)
      }
    }
    if (signal.aborted) return onStop()
    signal.addEventListener('abort', onStop, { once: true })
    acquiring.then(
      (users) => {
        signal.removeEventListener('abort', onStop)
        resolve(users)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onStop)
        reject(e)
      },
    )
  })
}

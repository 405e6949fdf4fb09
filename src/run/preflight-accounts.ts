import type { BindingName } from '../bindings/types.ts'
import type { Catalogue } from '../catalogue.ts'
import { ENV_REF, resolveEnv } from '../config.ts'
import { authenticate, loginBinding, tokenSecrets, type Token } from '../engine/authenticate.ts'
import { buildParams } from '../engine/check-execution.ts'
import { Runner } from '../engine/runner.ts'
import { OpenSessions } from '../engine/sessions.ts'
import type { UserState } from '../engine/expectations.ts'
import type { Check } from '../engine/plan.ts'
import type { ResolvedTarget } from '../engine/target.ts'
import { readBackParams, readBackState } from '../engine/user-state.ts'
import { accountKey } from '../engine/accounts.ts'
import { ConformError } from '../errors.ts'
import type { TargetLink } from '../transport/link.ts'
import type { ApiDescription } from '../spec/model.ts'

/** One fixture account as the config lists it, and what the preflight found. */
export interface AccountCheck {
  api: string
  role: string
  /** Its place in the config: targets.<t>.apis.<api>.fixtures.<role>[index]. */
  index: number
  /** The user key's value (a user name, a login), or its `${env:…}` reference when that is not set. */
  user: string
  /** The environment variables its values come from: what to check when it fails. */
  variables: string[]
  ok: boolean
  problem?: string
}

/** The roles an API's planned checks act as or on, and the role it reads users back with. */
export function rolesNeeded(api: ApiDescription, cases: readonly Check[]): string[] {
  const roles = new Set<string>()
  for (const c of cases) {
    if (c.api.api === api.api) for (const u of Object.values(c.spec.users)) roles.add(u.role)
  }
  if (cases.some((c) => c.api.api === api.api || c.counterpart?.api.api === api.api)) roles.add(api.readBack.as)
  return [...roles].sort()
}

const variablesOf = (account: Record<string, string>) => [...new Set(Object.values(account).flatMap((v) => [...v.matchAll(ENV_REF)].map((m) => m[1]!)))]

export interface PreflightAccountsOptions {
  target: ResolvedTarget
  apis: ReadonlyMap<string, ApiDescription>
  catalogue: Catalogue
  cases: readonly Check[]
  /**
   * When given and every account passes: what the preflight learned of each account (its state as read back, its open
   * session) is added here for the run, which starts from it (Runner.knowAccount) instead of asking again; those
   * sessions are then the run's to log out. Otherwise every session is logged out here.
   */
  handOver?: KnownAccount[]
  /**
   * Each API's accounts as the config lists them, when `target` holds only some (the run's working set, a shard):
   * an account that fails is named at its place there, not in the shorter list.
   */
  configured?: Readonly<Record<string, { fixtures: Readonly<Record<string, ReadonlyArray<Record<string, string>>>> }>>
  /**
   * The request slots and connections the run keeps to the target (transport/link.ts): given, the preflight's requests
   * take their slots from it (the base-URL GETs that run alongside share them) and leave its connections open for the
   * checks.
   */
  link?: TargetLink
  /**
   * Work done at the same time that the run needs too (the base-URL preflight): awaited before any session is handed
   * over. If it fails, every session is logged out and its error is thrown, before any account's failure.
   */
  alongside?: Promise<unknown>
}

/** A fixture account as the preflight left it: read back, and logged in over `session.binding`. */
export interface KnownAccount {
  api: string
  /** The account as the config lists it (its values still \${env:…}). */
  account: Record<string, string>
  state: UserState
  session?: { binding: BindingName; token: Token }
}

/**
 * Before any check on a configured target, also when writes are not allowed: every fixture account of every role the
 * run needs logs in, and is read back by the API's reader (so it exists and can be restored); every session opened
 * here is logged out again. Throws TARGET_ACCOUNTS (exit 3) naming each account that fails, with the variables to check.
 *
 * Per API every account's job starts at once: its login needs nothing else, and only its read-back waits for the
 * reader's login. APIs that list no account in common go at the same time; the requests of all of them share one
 * Runner, whose transport keeps at most limits.concurrency in flight (a job waiting for the reader holds no slot).
 */
export async function preflightAccounts(opts: PreflightAccountsOptions): Promise<AccountCheck[]> {
  const { target } = opts
  // Its requests keep the target's pace with what comes before (the base-URL GETs) and after (the checks): each side
  // paces only its own, so one turn is left at either end.
  const rps = target.limits.requestsPerSecond
  const turn = () => (rps ? new Promise((r) => setTimeout(r, 1000 / rps)) : Promise.resolve())
  await turn()
  const runner = new Runner({ target, apis: opts.apis, catalogue: opts.catalogue, seed: 0, ...(opts.link ? { link: opts.link } : {}) })
  const checks: AccountCheck[] = []
  const opened = new OpenSessions()
  const known: KnownAccount[] = []
  let handedOver = false
  let beside: { error: unknown } | undefined
  try {
    // Every entry made first, in the config's order (the order of the messages), whatever order the APIs finish in.
    const plans: ApiPreflight[] = []
    for (const [name, apiTarget] of Object.entries(target.apis)) {
      const api = opts.apis.get(name)
      if (!api || apiTarget.provisioning) continue
      const roles = rolesNeeded(api, opts.cases)
      if (roles.length === 0) continue
      plans.push(planApi({ opts, runner, checks, opened, known }, api, apiTarget, roles))
    }
    // Two APIs may list the same account (ECGridOS and ECGrid REST): no account logs in twice at once, so such APIs go
    // one after another, in the config's order; the others at once.
    const done: Array<Promise<void>> = []
    for (const [i, plan] of plans.entries()) {
      const before = plans.slice(0, i).flatMap((p, j) => (sharesAccount(p, plan) ? [done[j]!] : []))
      done.push(Promise.all(before).then(plan.run))
    }
    // Every API settled before any session is closed or handed over: none may still be logging in.
    const failure = (await Promise.allSettled(done)).find((r) => r.status === 'rejected')
    if (failure) throw failure.reason
    if (opts.alongside)
      beside = await opts.alongside.then(
        () => undefined,
        (error: unknown) => ({ error }),
      )
    // The checks of expired sessions count on the target's control endpoint: it answers and takes its key, else none runs.
    if (!beside && checks.every((c) => c.ok)) {
      const expiring = new Set(opts.cases.filter((c) => c.spec.caller && 'user' in c.spec.caller && c.spec.caller.session === 'expired').map((c) => c.api.api))
      for (const name of expiring) await runner.sessionControl(name)?.check()
    }
    if (opts.handOver && !beside && checks.every((c) => c.ok)) {
      opts.handOver.push(...known)
      handedOver = true
    }
  } finally {
    // Closed again unless handed to the run (best effort: a logout that fails leaves only an expiring ticket).
    if (!handedOver) await opened.logOutAll((a) => runner.client(a), target.limits.concurrency)
    await runner.close()
  }
  // What ran alongside failed first: the accounts' failures may only follow from it (a base URL that does not answer).
  if (beside) throw beside.error
  if (checks.length) await turn()
  const failed = checks.filter((c) => !c.ok)
  if (failed.length) throw new ConformError('TARGET_ACCOUNTS', 'setup', describeProblems(target.name, failed, checks.length))
  return checks
}

/** One API's part of the preflight: the accounts it logs in (their keys), and what does it. */
interface ApiPreflight {
  keys: Set<string>
  run: () => Promise<void>
}

const sharesAccount = (a: ApiPreflight, b: ApiPreflight) => [...b.keys].some((k) => a.keys.has(k))

interface Shared {
  opts: PreflightAccountsOptions
  runner: Runner
  checks: AccountCheck[]
  opened: OpenSessions
  known: KnownAccount[]
}

function planApi(shared: Shared, api: ApiDescription, apiTarget: ResolvedTarget['apis'][string], roles: string[]): ApiPreflight {
  const { opts, runner, checks, opened, known } = shared
  const name = api.api
  const target = opts.target
  const binding = loginBinding(api, undefined, apiTarget.bindings)
  const client = runner.client(name)
  const call = (b: typeof binding & string, c: { operation: string; params: Record<string, unknown> }, token?: Token) =>
    client.call(b, c.operation, buildParams(api, c, token))
  // The reader's token once it has logged in; undefined when it could not (or the target lists no reader).
  let readerLoggedIn!: (token: Token | undefined) => void
  const reader = new Promise<Token | undefined>((r) => {
    readerLoggedIn = r
  })
  let hasReader = false
  const states: Array<{ entry: AccountCheck; placement: string | undefined; state: Record<string, unknown> }> = []
  const jobs: Array<() => Promise<void>> = []
  const keys = new Set<string>()
  for (const role of [api.readBack.as, ...roles.filter((r) => r !== api.readBack.as)]) {
    const accounts = apiTarget.fixtures[role] ?? []
    if (accounts.length === 0) {
      checks.push({
        api: name,
        role,
        index: -1,
        user: '(none)',
        variables: [],
        ok: false,
        problem: `the target lists no ${role} account, which this run's ${name} checks need: add one under targets.${target.name}.apis.${name}.fixtures.${role}`,
      })
      continue
    }
    const listed = opts.configured?.[name]?.fixtures[role]
    for (const [position, account] of accounts.entries()) {
      keys.add(accountKey(account))
      const at = listed ? listed.findIndex((a) => accountKey(a) === accountKey(account)) : -1
      const index = at >= 0 ? at : position
      const variables = variablesOf(account)
      const keyTemplate = account[api.user.key] ?? ''
      const entry: AccountCheck = { api: name, role, index, user: keyTemplate, variables, ok: false }
      checks.push(entry)
      // The reader reads every account back (the first account of its role, as the run will use it).
      const isReader = role === api.readBack.as && position === 0
      if (isReader) hasReader = true
      jobs.push(async () => {
        try {
          const user: Record<string, unknown> = { ...Object.fromEntries(Object.entries(account).map(([k, v]) => [k, resolveEnv(v)])), role }
          entry.user = String(user[api.user.key] ?? keyTemplate)
          for (const s of api.user.secrets) runner.redactor.add(user[s] as string | undefined)
          if (!binding) throw new ConformError('NO_BINDING', 'setup', `the target offers no binding ${name} can log in over`)
          const token = await authenticate(api, binding, user, (b, c) => call(b, c))
          for (const s of tokenSecrets(token)) runner.redactor.add(s)
          opened.opened(api, binding, token)
          if (isReader) readerLoggedIn(token)
          const readerToken = await reader
          if (!readerToken)
            throw new ConformError(
              'NO_READER',
              'setup',
              `the ${api.readBack.as} account that reads users back could not log in, so this account could not be read`,
            )
          const state = readBackState(
            api,
            binding,
            user,
            await call(binding, { operation: api.readBack.call.operation, params: readBackParams(api, user) }, readerToken),
          )
          const roleField = api.user.role
          if (roleField !== undefined && String(state[roleField]) !== role) {
            throw new ConformError(
              'WRONG_ROLE',
              'setup',
              `the target has it as ${String(state[roleField])} (${roleField}), not ${role}: list it under its role, or give it that role`,
            )
          }
          states.push({ entry, placement: account.placement, state })
          known.push({ api: name, account, state, ...(api.auth.logout ? { session: { binding, token } } : {}) })
          entry.ok = true
        } catch (e) {
          entry.problem = runner.redactor.redact((e as Error).message)
        } finally {
          // A reader that failed before or at its login: the others stop waiting (a second call changes nothing).
          if (isReader) readerLoggedIn(undefined)
        }
      })
    }
  }
  return {
    keys,
    run: async () => {
      if (!hasReader) readerLoggedIn(undefined)
      // All at once, the reader's first: how many requests are in flight is the transport's to bound, not the jobs'.
      await Promise.all(jobs.map((job) => job()))
      states.sort((a, b) => checks.indexOf(a.entry) - checks.indexOf(b.entry))
      for (const problem of placementProblems(api, states)) {
        problem.entry.ok = false
        problem.entry.problem = problem.message
      }
    },
  }
}

function describeProblems(target: string, failed: AccountCheck[], total: number): string {
  const lines = failed.map((c) => {
    const where =
      c.index < 0
        ? `${c.api} ${c.role}`
        : `${c.api} ${c.role} account ${c.index + 1} (${c.user}; targets.${target}.apis.${c.api}.fixtures.${c.role}[${c.index}])`
    const vars = c.variables.length ? `\n    check the variables: ${c.variables.join(', ')}` : ''
    return `  ${where}: ${c.problem}${vars}`
  })
  return `target ${target} cannot be used: ${failed.length} of ${total} fixture account(s) failed the preflight (log in, read back):\n${lines.join('\n')}`
}

/**
 * Accounts marked with a placement that do not sit where it says (api.yaml `user.placements`), compared with the home
 * accounts of their role (those without a placement) as the preflight read them back.
 */
export function placementProblems(
  api: ApiDescription,
  states: ReadonlyArray<{ entry: AccountCheck; placement: string | undefined; state: Record<string, unknown> }>,
): Array<{ entry: AccountCheck; message: string }> {
  const problems: Array<{ entry: AccountCheck; message: string }> = []
  for (const placed of states.filter((s) => s.placement !== undefined)) {
    const rule = api.user.placements?.[placed.placement!]
    if (!rule) continue
    const home = states.filter((s) => s.placement === undefined && s.entry.role === placed.entry.role)
    if (home.length === 0) continue
    const wrong: string[] = []
    for (const f of rule.same ?? []) {
      const other = home.find((h) => String(h.state[f]) !== String(placed.state[f]))
      if (other) wrong.push(`${f} ${String(placed.state[f])} is not the home accounts' (${String(other.state[f])})`)
    }
    for (const f of rule.differ) {
      const same = home.find((h) => String(h.state[f]) === String(placed.state[f]))
      if (same) wrong.push(`${f} ${String(placed.state[f])} is the home accounts' too`)
    }
    if (wrong.length)
      problems.push({
        entry: placed.entry,
        message: `it is marked placement: ${placed.placement}, but ${wrong.join('; ')}: its checks would test the wrong thing`,
      })
  }
  return problems
}

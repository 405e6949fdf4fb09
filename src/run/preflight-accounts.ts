import type { Catalogue } from '../catalogue.ts'
import { resolveEnv } from '../config.ts'
import { authenticate, loginBinding, tokenSecrets, type Token } from '../engine/authenticate.ts'
import { buildParams } from '../engine/case-run.ts'
import { Runner } from '../engine/environment.ts'
import type { Case } from '../engine/plan.ts'
import type { ResolvedTarget } from '../engine/target.ts'
import { readBackParams, readBackState } from '../engine/user-state.ts'
import { ConformError } from '../errors.ts'
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
export function rolesNeeded(api: ApiDescription, cases: readonly Case[]): string[] {
  const roles = new Set<string>()
  for (const c of cases) {
    if (c.api.api === api.api) for (const u of Object.values(c.spec.users)) roles.add(u.role)
  }
  if (cases.some((c) => c.api.api === api.api || c.counterpart?.api.api === api.api)) roles.add(api.readBack.as)
  return [...roles].sort()
}

const variablesOf = (account: Record<string, string>) => [...new Set(Object.values(account).flatMap((v) => [...v.matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]!)))]

export interface PreflightAccountsOptions {
  target: ResolvedTarget
  apis: ReadonlyMap<string, ApiDescription>
  catalogue: Catalogue
  cases: readonly Case[]
}

/**
 * Before any check on a configured target, also when writes are not allowed: every fixture account of every role the
 * run needs logs in, and is read back by the API's reader (so it exists and can be restored); every session opened
 * here is logged out again. Throws TARGET_ACCOUNTS (exit 3) naming each account that fails, with the variables to check.
 */
export async function preflightAccounts(opts: PreflightAccountsOptions): Promise<AccountCheck[]> {
  const { target } = opts
  const runner = new Runner({ target, apis: opts.apis, catalogue: opts.catalogue, seed: 0 })
  const checks: AccountCheck[] = []
  const opened: Array<{ api: ApiDescription; binding: NonNullable<ReturnType<typeof loginBinding>>; token: Token }> = []
  try {
    for (const [name, apiTarget] of Object.entries(target.apis)) {
      const api = opts.apis.get(name)
      if (!api || apiTarget.provisioning) continue
      const roles = rolesNeeded(api, opts.cases)
      if (roles.length === 0) continue
      const binding = loginBinding(api, undefined, apiTarget.bindings)
      const client = runner.client(name)
      const call = (b: typeof binding & string, c: { operation: string; params: Record<string, unknown> }, token?: Token) => client.call(b, c.operation, buildParams(api, c, token))
      let reader: Token | undefined
      for (const role of [api.readBack.as, ...roles.filter((r) => r !== api.readBack.as)]) {
        const accounts = apiTarget.fixtures[role] ?? []
        if (accounts.length === 0) {
          checks.push({ api: name, role, index: -1, user: '(none)', variables: [], ok: false, problem: `the target lists no ${role} account, which this run's ${name} checks need: add one under targets.${target.name}.apis.${name}.fixtures.${role}` })
          continue
        }
        for (const [index, account] of accounts.entries()) {
          const variables = variablesOf(account)
          const keyTemplate = account[api.user.key] ?? ''
          const entry: AccountCheck = { api: name, role, index, user: keyTemplate, variables, ok: false }
          checks.push(entry)
          try {
            const user: Record<string, unknown> = { ...Object.fromEntries(Object.entries(account).map(([k, v]) => [k, resolveEnv(v)])), role }
            entry.user = String(user[api.user.key] ?? keyTemplate)
            for (const s of api.user.secrets) runner.redactor.add(user[s] as string | undefined)
            if (!binding) throw new ConformError('NO_BINDING', 'setup', `the target offers no binding ${name} can log in over`)
            const token = await authenticate(api, binding, user, (b, c) => call(b, c))
            for (const s of tokenSecrets(token)) runner.redactor.add(s)
            if (api.auth.logout) opened.push({ api, binding, token })
            // The reader reads every account back (the first account of its role, as the run will use it).
            if (role === api.readBack.as && index === 0) reader = token
            if (!reader) throw new ConformError('NO_READER', 'setup', `the ${api.readBack.as} account that reads users back could not log in, so this account could not be read`)
            readBackState(api, binding, user, await call(binding, { operation: api.readBack.call.operation, params: readBackParams(api, user) }, reader))
            entry.ok = true
          } catch (e) {
            entry.problem = runner.redactor.redact((e as Error).message)
          }
        }
      }
    }
  } finally {
    await logOut(runner, opened)
    await runner.close()
  }
  const failed = checks.filter((c) => !c.ok)
  if (failed.length) throw new ConformError('TARGET_ACCOUNTS', 'setup', describeProblems(target.name, failed, checks.length))
  return checks
}

/** Sessions the preflight opened are closed again (best effort: a logout that fails leaves only an expiring ticket). */
async function logOut(runner: Runner, opened: Array<{ api: ApiDescription; binding: string; token: Token }>): Promise<void> {
  for (const { api, binding, token } of opened) {
    const logout = api.auth.logout
    if (!logout) continue
    try {
      await runner.client(api.api).call(binding as never, logout.operation, buildParams(api, { operation: logout.operation, params: logout.params }, token))
    } catch {
      // the ticket expires on its own
    }
  }
}

function describeProblems(target: string, failed: AccountCheck[], total: number): string {
  const lines = failed.map((c) => {
    const where = c.index < 0 ? `${c.api} ${c.role}` : `${c.api} ${c.role} account ${c.index + 1} (${c.user}; targets.${target}.apis.${c.api}.fixtures.${c.role}[${c.index}])`
    const vars = c.variables.length ? `\n    check the variables: ${c.variables.join(', ')}` : ''
    return `  ${where}: ${c.problem}${vars}`
  })
  return `target ${target} cannot be used: ${failed.length} of ${total} fixture account(s) failed the preflight (log in, read back):\n${lines.join('\n')}`
}

import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { ConformError, SpecErrors } from './errors.ts'
import { ExpressionError, parseTemplate, refsOf } from './expr.ts'
import { PROJECT_ROOT } from './paths.ts'
import { readTlsConfig, type RawTlsConfig } from './net/tls-config.ts'
import { readValidated } from './spec/schema-check.ts'
import type { Config, Limits, TargetApiConfig, TargetConfig } from './spec/model.ts'
import type { Path, SourceFile } from './yaml/source.ts'

export const DEFAULT_TARGET_LIMITS: Limits = { concurrency: 8, timeoutMs: 10_000, maxBodyBytes: 5_000_000 }

/** Keys whose values are credentials: they may only come from the environment. */
export const SECRET_KEY = /pass(word)?|pwd|secret|token|api[-_]?key|ticket|session/i
const ENV_ONLY = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/

/** The embedded reference, the target of a config that names none (and compare's `reference`). */
export const BUILTIN_REFERENCE: TargetConfig = { name: 'reference', reference: true, allowWrites: true, limits: DEFAULT_TARGET_LIMITS, apis: {} }

/**
 * Reads conform.config.yaml. A missing default file means just the built-in `reference` target; a file the user named
 * (`explicit`) must exist: silently running the reference instead would answer a question nobody asked.
 */
export function loadConfig(file: string, root = PROJECT_ROOT, opts: { explicit?: boolean } = {}): Config {
  if (!existsSync(file)) {
    if (opts.explicit) throw new SpecErrors([new ConformError('CONFIG_NOT_FOUND', 'spec', `config file ${resolve(file)} does not exist (given with --config)`)])
    return { file, defaultTarget: 'reference', targets: { reference: BUILTIN_REFERENCE } }
  }
  // Kept in the parse cache only once the whole project accepted it (loadProject: these checks and those against the
  // APIs): a credential written out by mistake (refused, but only once the file is parsed) is copied nowhere. A config
  // kept before comes back from the cache.
  const source = readValidated(file, root, 'config.schema.json', { cache: false })
  const errors: ConformError[] = []
  const raw = source.data as {
    defaultTarget?: string
    targets: Record<
      string,
      Omit<TargetConfig, 'name' | 'reference' | 'allowWrites' | 'limits' | 'apis' | 'tls'> & Partial<Omit<TargetConfig, 'tls'>> & { tls?: RawTlsConfig }
    >
  }
  const targets: Record<string, TargetConfig> = {}
  for (const [name, t] of Object.entries(raw.targets)) {
    const apis = t.apis ?? {}
    for (const [api, a] of Object.entries(apis)) {
      for (const [role, accounts] of Object.entries(a.fixtures ?? {})) {
        accounts.forEach((account, i) => {
          for (const [key, value] of Object.entries(account)) {
            if (key === DISPOSABLE) continue
            const at = ['targets', name, 'apis', api, 'fixtures', role, i, key]
            if (SECRET_KEY.test(key) && !ENV_ONLY.test(value)) {
              errors.push(
                source.error(
                  'LITERAL_SECRET',
                  `"${key}" is a credential: write it as \${env:NAME} and put the value in the environment (CI secrets), never in this file`,
                  at,
                ),
              )
              continue
            }
            errors.push(...envRefErrors(source, value, at))
          }
        })
      }
    }
    for (const [api, a] of Object.entries(apis)) {
      const at = ['targets', name, 'apis', api, 'baseUrl']
      const refErrors = envRefErrors(source, a.baseUrl, at)
      errors.push(...refErrors)
      // With a written scheme, each reference as a digit (one fits a host, a port or a path): credentials written around
      // a reference are refused here. What the variables hold is checked once they are read (requireEnv).
      const problem = refErrors.length || a.baseUrl.startsWith('${') ? undefined : baseUrlProblem(a.baseUrl.replace(ENV_REF, '1'))
      if (problem) errors.push(source.error(problem.code, problem.message, at))
    }
    if (!t.reference && Object.keys(apis).length === 0) {
      errors.push(source.error('NO_APIS', `target "${name}" is neither the reference nor names any apis`, ['targets', name], { key: true }))
    }
    if (t.reference && t.tls)
      errors.push(
        source.error(
          'TLS_ON_REFERENCE',
          'the embedded reference is served over plain HTTP on loopback: tls applies to configured targets (serve the reference over HTTPS with conform serve --tls-cert … and configure it as a target)',
          ['targets', name, 'tls'],
          { key: true },
        ),
      )
    const limits = { ...DEFAULT_TARGET_LIMITS, ...t.limits }
    if (limits.checkTimeoutMs !== undefined && limits.checkTimeoutMs < limits.timeoutMs) {
      errors.push(
        source.error(
          'BAD_LIMITS',
          `checkTimeoutMs (${limits.checkTimeoutMs}) is shorter than timeoutMs (${limits.timeoutMs}): a check would stop before its first request could time out`,
          ['targets', name, 'limits', 'checkTimeoutMs'],
        ),
      )
    }
    const tls = t.tls ? readTlsConfig(t.tls, ['targets', name, 'tls'], source, dirname(resolve(file)), errors) : undefined
    if (t.referenceControl && !ENV_ONLY.test(t.referenceControl.key)) {
      errors.push(
        source.error('LITERAL_SECRET', '"key" is a credential: write it as ${env:NAME} and put the value in the environment, never in this file', [
          'targets',
          name,
          'referenceControl',
          'key',
        ]),
      )
    }
    targets[name] = {
      name,
      ...(t.description ? { description: t.description } : {}),
      reference: t.reference ?? false,
      allowWrites: t.allowWrites ?? false,
      limits,
      ...(tls ? { tls } : {}),
      ...(t.referenceControl ? { referenceControl: t.referenceControl } : {}),
      apis: Object.fromEntries(Object.entries(apis).map(([k, a]) => [k, { ...a, ...disposableApart(a.fixtures ?? {}) }])),
    }
  }
  const defaultTarget = raw.defaultTarget ?? (targets.reference ? 'reference' : (Object.keys(targets)[0] ?? 'reference'))
  if (!targets[defaultTarget]) errors.push(source.error('UNKNOWN_TARGET', `defaultTarget "${defaultTarget}" is not among targets`, ['defaultTarget']))
  if (errors.length) throw new SpecErrors(errors)
  return { file: source.file, defaultTarget, targets, source }
}

/** An account's `disposable: true`: checks may change on it what a restore cannot put back (docs/safety.md). */
const DISPOSABLE = 'disposable'

/** Accounts without their `disposable` flag, and which accounts per role carry it (by position). */
function disposableApart(fixtures: Record<string, Array<Record<string, string | boolean>>>): Pick<TargetApiConfig, 'fixtures' | 'disposable'> {
  const disposable: Record<string, number[]> = {}
  const clean = Object.fromEntries(
    Object.entries(fixtures).map(([role, accounts]) => [
      role,
      accounts.map((account, i) => {
        const { [DISPOSABLE]: flag, ...rest } = account
        if (flag === true) (disposable[role] ??= []).push(i)
        return rest as Record<string, string>
      }),
    ]),
  )
  return { fixtures: clean, ...(Object.keys(disposable).length ? { disposable } : {}) }
}

/** `${env:NAME}` references only, well formed: the config is read by no other evaluator. */
function envRefErrors(source: SourceFile, value: string, at: Path): ConformError[] {
  try {
    return refsOf(parseTemplate(value))
      .filter((ref) => ref.path[0] !== 'env:')
      .map((ref) => source.error('BAD_REFERENCE', `${ref.source}: only \${env:NAME} references are allowed in the config`, at))
  } catch (e) {
    if (e instanceof ExpressionError) return [source.error('BAD_EXPRESSION', `${e.message} in "${value}"`, at)]
    throw e
  }
}

/**
 * What is wrong with a base URL as the checks would use it: not an http(s) URL, or credentials in it (user:password@
 * would be sent to the target in every request line's Host and written into every report). Never quotes the URL.
 */
export function baseUrlProblem(url: string, what = 'baseUrl'): { code: string; message: string } | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { code: 'BAD_VALUE', message: `${what} is not a URL (expected http:// or https:// and a host)` }
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return { code: 'BAD_VALUE', message: `${what} must be http:// or https://, not ${parsed.protocol}//` }
  if (parsed.username || parsed.password) {
    return {
      code: 'LITERAL_SECRET',
      message: `${what} carries credentials (user:password@ before the host): remove them (credentials belong in fixture accounts, as \${env:NAME} references)`,
    }
  }
  return undefined
}

export const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g

/** Resolves `${env:NAME}` in a config value; a variable that is not set is a config error. */
export function resolveEnv(value: string, env: NodeJS.ProcessEnv = process.env): string {
  return value.replace(ENV_REF, (_, name: string) => {
    const v = env[name]
    if (v === undefined) throw new ConformError('ENV_MISSING', 'spec', `environment variable ${name} is not set (named in the target's config)`)
    return v
  })
}

/** Positioned where the config has it, when there is a config file (the built-in reference has none). */
function configError(config: Config, code: string, message: string, at: Path): ConformError {
  return config.source ? config.source.error(code, message, at) : new ConformError(code, 'spec', message)
}

/** What stands between an API's configured baseUrl and the URL the checks use: unset variables, a bad resolved URL. */
function baseUrlErrors(config: Config, target: string, api: string, env: NodeJS.ProcessEnv): ConformError[] {
  const raw = config.targets[target]?.apis[api]?.baseUrl ?? ''
  const at = ['targets', target, 'apis', api, 'baseUrl']
  const unset = [...raw.matchAll(ENV_REF)].map((m) => m[1]!).filter((name) => env[name] === undefined)
  if (unset.length) return unset.map((name) => configError(config, 'ENV_MISSING', `environment variable ${name} is not set (named in the target's config)`, at))
  const problem = raw.includes('${') ? baseUrlProblem(resolveEnv(raw, env), 'baseUrl, as resolved from the environment,') : undefined
  return problem ? [configError(config, problem.code, problem.message, at)] : []
}

/** The base URL the checks of `api` on `target` use: its `${env:NAME}` references resolved, and checked. */
export function resolveBaseUrl(config: Config, target: string, api: string, env: NodeJS.ProcessEnv = process.env): string {
  const errors = baseUrlErrors(config, target, api, env)
  if (errors.length) throw new SpecErrors(errors)
  return resolveEnv(config.targets[target]!.apis[api]!.baseUrl, env)
}

/**
 * Before a run against a target: every `${env:NAME}` its base URLs and fixtures name is set, and each base URL, once
 * resolved, is an http(s) URL without credentials; otherwise errors at their places.
 */
export function requireEnv(config: Config, target: string, env: NodeJS.ProcessEnv = process.env): void {
  const apis = Object.entries(config.targets[target]?.apis ?? {})
  const errors = apis.flatMap(([api]) => baseUrlErrors(config, target, api, env))
  const control = config.targets[target]?.referenceControl
  for (const [, name] of control?.key.matchAll(ENV_REF) ?? []) {
    if (env[name!] === undefined)
      errors.push(
        configError(config, 'ENV_MISSING', `environment variable ${name} is not set (named in the target's config)`, [
          'targets',
          target,
          'referenceControl',
          'key',
        ]),
      )
  }
  for (const [api, a] of apis) {
    for (const [role, accounts] of Object.entries(a.fixtures)) {
      accounts.forEach((account, i) => {
        for (const [key, value] of Object.entries(account)) {
          for (const [, name] of value.matchAll(ENV_REF)) {
            if (env[name!] === undefined)
              errors.push(
                configError(config, 'ENV_MISSING', `environment variable ${name} is not set (named in the target's config)`, [
                  'targets',
                  target,
                  'apis',
                  api,
                  'fixtures',
                  role,
                  i,
                  key,
                ]),
              )
          }
        }
      })
    }
  }
  if (errors.length) throw new SpecErrors(errors)
}

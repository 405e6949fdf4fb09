import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { ConformError, SpecErrors } from './errors.ts'
import { ExpressionError, parseTemplate, refsOf } from './expr.ts'
import { PROJECT_ROOT } from './paths.ts'
import { readTlsConfig, type RawTlsConfig } from './net/tls-config.ts'
import { readValidated } from './spec/schema-check.ts'
import type { Config, Limits, TargetConfig } from './spec/model.ts'

export const DEFAULT_TARGET_LIMITS: Limits = { concurrency: 8, timeoutMs: 10_000, maxBodyBytes: 5_000_000 }

/** Keys whose values are credentials: they may only come from the environment. */
export const SECRET_KEY = /pass(word)?|pwd|secret|token|api[-_]?key|ticket|session/i
const ENV_ONLY = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/

const BUILTIN_REFERENCE: TargetConfig = { name: 'reference', reference: true, allowWrites: true, limits: DEFAULT_TARGET_LIMITS, apis: {} }

/** Reads conform.config.yaml; a missing file means just the built-in `reference` target. */
export function loadConfig(file: string, root = PROJECT_ROOT): Config {
  if (!existsSync(file)) {
    return { file, defaultTarget: 'reference', targets: { reference: BUILTIN_REFERENCE } }
  }
  // Not kept in the parse cache: a credential written out by mistake (refused, but only once the file is parsed) is
  // copied nowhere.
  const source = readValidated(file, root, 'config.schema.json', { cache: false })
  const errors: ConformError[] = []
  const raw = source.data as { defaultTarget?: string; targets: Record<string, Omit<TargetConfig, 'name' | 'reference' | 'allowWrites' | 'limits' | 'apis' | 'tls'> & Partial<Omit<TargetConfig, 'tls'>> & { tls?: RawTlsConfig }> }
  const targets: Record<string, TargetConfig> = {}
  for (const [name, t] of Object.entries(raw.targets)) {
    const apis = t.apis ?? {}
    for (const [api, a] of Object.entries(apis)) {
      for (const [role, accounts] of Object.entries(a.fixtures ?? {})) {
        accounts.forEach((account, i) => {
          for (const [key, value] of Object.entries(account)) {
            const at = ['targets', name, 'apis', api, 'fixtures', role, i, key]
            if (SECRET_KEY.test(key) && !ENV_ONLY.test(value)) {
              errors.push(source.error('LITERAL_SECRET', `"${key}" is a credential: write it as \${env:NAME} and put the value in the environment (CI secrets), never in this file`, at))
              continue
            }
            try {
              for (const ref of refsOf(parseTemplate(value))) {
                if (ref.path[0] !== 'env:') errors.push(source.error('BAD_REFERENCE', `${ref.source}: only \${env:NAME} references are allowed in the config`, at))
              }
            } catch (e) {
              if (e instanceof ExpressionError) errors.push(source.error('BAD_EXPRESSION', `${e.message} in "${value}"`, at))
              else throw e
            }
          }
        })
      }
    }
    for (const [api, a] of Object.entries(apis)) {
      if (a.baseUrl.includes('${')) {
        errors.push(source.error('BAD_REFERENCE', `baseUrl is used as written: \${…} is not expanded here ("${a.baseUrl}")`, ['targets', name, 'apis', api, 'baseUrl']))
      }
    }
    if (!t.reference && Object.keys(apis).length === 0) {
      errors.push(source.error('NO_APIS', `target "${name}" is neither the reference nor names any apis`, ['targets', name], { key: true }))
    }
    if (t.reference && t.tls) errors.push(source.error('TLS_ON_REFERENCE', 'the embedded reference is served over plain HTTP on loopback: tls applies to configured targets (serve the reference over HTTPS with conform serve --tls-cert … and configure it as a target)', ['targets', name, 'tls'], { key: true }))
    const limits = { ...DEFAULT_TARGET_LIMITS, ...t.limits }
    if (limits.checkTimeoutMs !== undefined && limits.checkTimeoutMs < limits.timeoutMs) {
      errors.push(source.error('BAD_LIMITS', `checkTimeoutMs (${limits.checkTimeoutMs}) is shorter than timeoutMs (${limits.timeoutMs}): a check would stop before its first request could time out`, ['targets', name, 'limits', 'checkTimeoutMs']))
    }
    const tls = t.tls ? readTlsConfig(t.tls, ['targets', name, 'tls'], source, dirname(resolve(file)), errors) : undefined
    targets[name] = {
      name,
      ...(t.description ? { description: t.description } : {}),
      reference: t.reference ?? false,
      allowWrites: t.allowWrites ?? false,
      limits,
      ...(tls ? { tls } : {}),
      apis: Object.fromEntries(Object.entries(apis).map(([k, a]) => [k, { ...a, fixtures: a.fixtures ?? {} }])),
    }
  }
  const defaultTarget = raw.defaultTarget ?? (targets.reference ? 'reference' : Object.keys(targets)[0] ?? 'reference')
  if (!targets[defaultTarget]) errors.push(source.error('UNKNOWN_TARGET', `defaultTarget "${defaultTarget}" is not among targets`, ['defaultTarget']))
  if (errors.length) throw new SpecErrors(errors)
  return { file: source.file, defaultTarget, targets, source }
}

/** Resolves `${env:NAME}` in a config value; a variable that is not set is a config error. */
export function resolveEnv(value: string, env: NodeJS.ProcessEnv = process.env): string {
  return value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = env[name]
    if (v === undefined) throw new ConformError('ENV_MISSING', 'spec', `environment variable ${name} is not set (named in the target's config)`)
    return v
  })
}

/** Before a run against a target: every `${env:NAME}` its fixtures name is set; otherwise errors at their places. */
export function requireEnv(config: Config, target: string, env: NodeJS.ProcessEnv = process.env): void {
  const errors: ConformError[] = []
  for (const [api, a] of Object.entries(config.targets[target]?.apis ?? {})) {
    for (const [role, accounts] of Object.entries(a.fixtures)) {
      accounts.forEach((account, i) => {
        for (const [key, value] of Object.entries(account)) {
          for (const [, name] of value.matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
            if (env[name!] !== undefined) continue
            const message = `environment variable ${name} is not set (named in the target's config)`
            const at = ['targets', target, 'apis', api, 'fixtures', role, i, key]
            errors.push(config.source ? config.source.error('ENV_MISSING', message, at) : new ConformError('ENV_MISSING', 'spec', message))
          }
        }
      })
    }
  }
  if (errors.length) throw new SpecErrors(errors)
}

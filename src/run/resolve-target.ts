import { SESSION_EXPIRY_APIS } from '../../reference/facts.ts'
import { createRequire } from 'node:module'
import type { BindingName } from '../bindings/types.ts'
import { resolveBaseUrl, resolveEnv } from '../config.ts'
import { ConformError } from '../errors.ts'
import type { ResolvedTarget } from '../engine/target.ts'
import type { Project } from '../project.ts'
import type { RunningReference } from '../../reference/index.ts'
import { runTarget, type Shard } from './shard.ts'

type Embedded = typeof import('../../reference/index.ts')
let embedded: Embedded | undefined

/**
 * The embedded reference's module, loaded on first use: a run against a configured target loads none of reference/
 * (a sixth of the modules of a start). Required, not imported, because what is listed about it (its APIs, deviations
 * and variations) is asked synchronously; Node hands the same module to a later import (under vitest, require loads a
 * copy beside vitest's own: only lists are read from it).
 */
export function embeddedReference(): Embedded {
  embedded ??= createRequire(import.meta.url)('../../reference/index.ts') as Embedded
  return embedded
}

export interface StartedTarget {
  target: ResolvedTarget
  stop(): Promise<void>
}

/** The described APIs the embedded reference implements (reference/registry.ts). */
export function referenceApis(project: Project): string[] {
  const names = new Set(embeddedReference().embeddedApiNames())
  return [...project.apis.keys()].filter((a) => names.has(a))
}

/** The described APIs a target offers: the embedded ones for the reference, else those its config lists. */
export function offeredApis(project: Project, target: string): string[] {
  const config = project.config.targets[target]!
  return config.reference ? referenceApis(project) : Object.keys(config.apis).filter((a) => project.apis.has(a))
}

/** The baseUrl of an embedded API on a reference at `url`: the reference's URL and the API's base path, if any. */
export function referenceBaseUrl(url: string, api: string): string {
  const base = embeddedReference()
    .embeddedApis()
    .find((a) => a.api === api)?.base
  return `${url}${base ?? ''}`
}

/**
 * Turns a configured target into reachable endpoints; for `reference`, starts the embedded reference (with `thread`,
 * on a thread of its own, so that whatever else this thread does never delays an answer).
 */
export async function startTarget(
  project: Project,
  name: string,
  deviations: string[] = [],
  opts: { thread?: boolean; started?: Promise<RunningReference>; shard?: Shard; variations?: string[] } = {},
): Promise<StartedTarget> {
  const config = project.config.targets[name]
  if (!config) {
    throw new ConformError('UNKNOWN_TARGET', 'spec', `unknown target "${name}" (configured: ${Object.keys(project.config.targets).join(', ')})`)
  }
  if (deviations.length && !config.reference) {
    throw new ConformError('DEVIATE_NEEDS_REFERENCE', 'spec', `--deviate applies to the embedded reference only; target "${name}" is not the reference`)
  }
  const variations = opts.variations ?? []
  if (variations.length && !config.reference) {
    throw new ConformError('VARY_NEEDS_REFERENCE', 'spec', `--vary applies to the embedded reference only; target "${name}" is not the reference`)
  }
  if (config.reference) {
    const options = { deviations, variations }
    // Imported, not required: under vitest, the reference a test starts is then made of the modules the test sees.
    const ref = await (opts.started ??
      (opts.thread
        ? (await import('../../reference/thread.ts')).startReferenceThread(options)
        : (await import('../../reference/index.ts')).startReference(options)))
    const apis: ResolvedTarget['apis'] = {}
    for (const name of referenceApis(project)) {
      const control = { url: ref.url, key: ref.controlKey }
      apis[name] = {
        baseUrl: referenceBaseUrl(ref.url, name),
        fixtures: {},
        provisioning: control,
        ...(SESSION_EXPIRY_APIS.includes(name) ? { sessionExpiry: control } : {}),
      }
    }
    return { target: { name, allowWrites: config.allowWrites, limits: config.limits, direct: true, apis }, stop: () => ref.close() }
  }
  const apis: ResolvedTarget['apis'] = {}
  // A reference served by `conform serve` can expire sessions on demand through its control endpoint.
  const control = config.referenceControl ? { url: config.referenceControl.url.replace(/\/$/, ''), key: resolveEnv(config.referenceControl.key) } : undefined
  for (const [api, a] of Object.entries(config.apis)) {
    apis[api] = {
      baseUrl: resolveBaseUrl(project.config, name, api),
      fixtures: a.fixtures,
      ...(a.bindings ? { bindings: a.bindings as BindingName[] } : {}),
      ...(a.updateable ? { updateable: a.updateable } : {}),
      // Which of its APIs can: reference/facts.ts (the embedded reference itself stays unloaded).
      ...(control && SESSION_EXPIRY_APIS.includes(api) ? { sessionExpiry: control } : {}),
    }
  }
  const target: ResolvedTarget = { name, allowWrites: config.allowWrites, limits: config.limits, ...(config.tls ? { tls: config.tls } : {}), apis }
  // Disposable accounts marked, and with --shard only this shard's share of the accounts (shards never share a user).
  return { target: runTarget(project, target, name, opts.shard), stop: async () => {} }
}

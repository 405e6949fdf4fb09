import type { BindingName } from '../bindings/types.ts'
import { ConformError } from '../errors.ts'
import type { ResolvedTarget } from '../engine/target.ts'
import type { Project } from '../project.ts'
import { startReference } from '../../reference/index.ts'

export interface StartedTarget {
  target: ResolvedTarget
  stop(): Promise<void>
}

/** Turns a configured target into reachable endpoints; for `reference`, starts the embedded reference. */
export async function startTarget(project: Project, name: string, deviations: string[] = []): Promise<StartedTarget> {
  const config = project.config.targets[name]
  if (!config) {
    throw new ConformError('UNKNOWN_TARGET', 'spec', `unknown target "${name}" (configured: ${Object.keys(project.config.targets).join(', ')})`)
  }
  if (deviations.length && !config.reference) {
    throw new ConformError('DEVIATE_NEEDS_REFERENCE', 'spec', `--deviate applies to the embedded reference only; target "${name}" is not the reference`)
  }
  if (config.reference) {
    const ref = await startReference({ deviations })
    const apis: ResolvedTarget['apis'] = {}
    for (const api of project.apis.values()) {
      apis[api.api] = { baseUrl: ref.url, fixtures: {}, provisioning: { url: ref.url, key: ref.controlKey } }
    }
    return { target: { name, allowWrites: config.allowWrites, limits: config.limits, apis }, stop: () => ref.close() }
  }
  const apis: ResolvedTarget['apis'] = {}
  for (const [api, a] of Object.entries(config.apis)) {
    apis[api] = { baseUrl: a.baseUrl, fixtures: a.fixtures, ...(a.bindings ? { bindings: a.bindings as BindingName[] } : {}) }
  }
  return { target: { name, allowWrites: config.allowWrites, limits: config.limits, apis }, stop: async () => {} }
}

import type { BindingName } from '../bindings/types.ts'
import type { Project } from '../project.ts'
import { strongestLevel } from '../catalogue.ts'
import type { ApiDescription, Level, Spec } from '../spec/model.ts'
import { offeredBindings, targetOffers } from '../spec/offered.ts'
import type { ResolvedTarget } from './target.ts'

/** One check: a spec on one binding of one target. */
export interface Check {
  id: string
  spec: Spec
  api: ApiDescription
  binding: BindingName
  level: Level
  writes: boolean
  /** For a spec with `equivalent:`, the other API and binding the same update goes through. */
  counterpart?: { api: ApiDescription; binding: BindingName }
}

export interface PlanFilters {
  apis?: string[]
  bindings?: BindingName[]
  covers?: string[]
  /** Spec ids or spec files (relative to the project, as `spec.file`). */
  specs?: string[]
}

/** Whether a spec is among those asked for by id or by file. */
export function specSelected(spec: Pick<Spec, 'id' | 'file'>, wanted: readonly string[] | undefined): boolean {
  return !wanted || wanted.some((w) => w === spec.id || w.replace(/^\.\//, '') === spec.file)
}

export function specBindings(spec: Spec, project: Pick<Project, 'catalogue'>, api: ApiDescription): BindingName[] {
  if (spec.bindings) return spec.bindings
  return offeredBindings(api, spec.when.operation).filter((b) => spec.covers.some((id) => project.catalogue.get(id)?.bindings.includes(b)))
}

/** A target for planning only (nothing is sent): the given APIs, with the bindings each offers if known. */
export function planningTarget(
  apis: string[],
  bindings: Record<string, BindingName[] | undefined> = {},
  limits: ResolvedTarget['limits'] = { concurrency: 1, timeoutMs: 1, maxBodyBytes: 1 },
): ResolvedTarget {
  return {
    name: 'plan',
    allowWrites: true,
    limits,
    apis: Object.fromEntries(apis.map((a) => [a, { baseUrl: 'http://planning.invalid', fixtures: {}, ...(bindings[a] ? { bindings: bindings[a] } : {}) }])),
  }
}

/** spec × binding, for the bindings the target offers; ordered by id so runs are comparable. */
export function planChecks(project: Project, target: ResolvedTarget, filters: PlanFilters = {}): Check[] {
  const cases: Check[] = []
  for (const spec of project.specs) {
    if (filters.apis && !filters.apis.includes(spec.api)) continue
    if (filters.covers && !spec.covers.some((c) => filters.covers?.includes(c))) continue
    if (!specSelected(spec, filters.specs)) continue
    const api = project.apis.get(spec.api)
    const apiTarget = target.apis[spec.api]
    if (!api || !apiTarget) continue
    const writes = [...spec.before, spec.when].some((c) => api.operations[c.operation]?.writes)
    const eq = spec.equivalent
    const other = eq && project.apis.get(eq.api)
    const counterpart = eq && other ? { api: other, binding: eq.binding } : undefined
    for (const binding of specBindings(spec, project, api)) {
      if (!targetOffers(apiTarget.bindings, binding)) continue
      if (filters.bindings && !filters.bindings.includes(binding) && !(counterpart && filters.bindings.includes(counterpart.binding))) continue
      const id = `${spec.id}@${binding}${counterpart ? `+${counterpart.binding}` : ''}`
      cases.push({
        id,
        spec,
        api,
        binding,
        level: strongestLevel(spec.covers, project.catalogue),
        writes: writes || Boolean(eq && other?.operations[eq.when.operation]?.writes),
        ...(counterpart ? { counterpart } : {}),
      })
    }
  }
  return cases.sort((a, b) => a.id.localeCompare(b.id))
}

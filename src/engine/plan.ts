import type { BindingName } from '../bindings/types.ts'
import type { Project } from '../project.ts'
import { LEVEL_RANK, type ApiDescription, type Level, type Spec } from '../spec/model.ts'
import type { ResolvedTarget } from './target.ts'

/** One check: a spec on one binding of one target. */
export interface Case {
  id: string
  spec: Spec
  api: ApiDescription
  binding: BindingName
  level: Level
  writes: boolean
}

export interface PlanFilters {
  apis?: string[]
  bindings?: BindingName[]
  covers?: string[]
}

export function specBindings(spec: Spec, project: Pick<Project, 'catalogue'>, api: ApiDescription): BindingName[] {
  if (spec.bindings) return spec.bindings
  const op = api.operations[spec.when.operation]
  const offered = op?.bindings ?? (Object.keys(api.bindings) as BindingName[])
  return offered.filter((b) => spec.covers.some((id) => project.catalogue.get(id)?.bindings.includes(b)))
}

export function specLevel(spec: Spec, project: Pick<Project, 'catalogue'>): Level {
  let best: Level = 'ADVISORY'
  for (const id of spec.covers) {
    const l = project.catalogue.get(id)?.level
    if (l && LEVEL_RANK[l] > LEVEL_RANK[best]) best = l
  }
  return best
}

/** spec × binding, for the bindings the target offers; ordered by id so runs are comparable. */
export function planCases(project: Project, target: ResolvedTarget, filters: PlanFilters = {}): Case[] {
  const cases: Case[] = []
  for (const spec of project.specs) {
    if (filters.apis && !filters.apis.includes(spec.api)) continue
    if (filters.covers && !spec.covers.some((c) => filters.covers?.includes(c))) continue
    const api = project.apis.get(spec.api)
    const apiTarget = target.apis[spec.api]
    if (!api || !apiTarget) continue
    const writes = [...spec.before, spec.when].some((c) => api.operations[c.operation]?.writes)
    for (const binding of specBindings(spec, project, api)) {
      if (apiTarget.bindings && !apiTarget.bindings.includes(binding)) continue
      if (filters.bindings && !filters.bindings.includes(binding)) continue
      cases.push({ id: `${spec.id}@${binding}`, spec, api, binding, level: specLevel(spec, project), writes })
    }
  }
  return cases.sort((a, b) => a.id.localeCompare(b.id))
}

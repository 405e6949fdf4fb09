/**
 * What a run is asked to select, checked against the project before anything starts: a name that matches nothing
 * would otherwise select nothing, and a run of nothing looks green. `conform run` (its flags) and the vitest adapter
 * (provide.conform) ask the same questions and get the same answers; each says where the name came from.
 */
import { BINDING_NAMES } from '../bindings/types.ts'
import { specSelected } from '../engine/plan.ts'
import type { Project } from '../project.ts'
import { closestSpec } from './selection.ts'

export interface Selection {
  target: string
  apis?: readonly string[] | undefined
  bindings?: readonly string[] | undefined
  covers?: readonly string[] | undefined
  specs?: readonly string[] | undefined
}

/** The first name of the selection the project does not know: which option it came from, and what to say. */
export function selectionProblem(project: Project, s: Selection): { option: keyof Selection; message: string } | undefined {
  if (!project.config.targets[s.target])
    return { option: 'target', message: `unknown target "${s.target}"; the config has: ${Object.keys(project.config.targets).join(', ')}` }
  const api = s.apis?.find((a) => !project.apis.has(a))
  if (api !== undefined) return { option: 'apis', message: `unknown api "${api}"; known: ${[...project.apis.keys()].join(', ')}` }
  const binding = s.bindings?.find((b) => !(BINDING_NAMES as readonly string[]).includes(b))
  if (binding !== undefined) return { option: 'bindings', message: `unknown binding "${binding}"; known: ${BINDING_NAMES.join(', ')}` }
  const behaviour = s.covers?.find((c) => !project.catalogue.has(c))
  if (behaviour !== undefined) return { option: 'covers', message: `unknown behaviour "${behaviour}" (see specs/behaviours.yaml)` }
  const spec = s.specs?.find((id) => !project.specs.some((sp) => specSelected(sp, [id])))
  if (spec !== undefined) {
    const near = closestSpec(spec, project.specs)
    return { option: 'specs', message: `no spec has the id or file "${spec}"${near ? `; did you mean ${near}?` : ''}` }
  }
  return undefined
}

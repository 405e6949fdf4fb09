import { resolve } from 'node:path'
import { SPECS_DIR, PROJECT_ROOT } from './paths.ts'
import { SpecErrors } from './errors.ts'
import { readValidated } from './spec/schema-check.ts'
import { LEVEL_RANK, type Behaviour, type Level } from './spec/model.ts'

export type Catalogue = ReadonlyMap<string, Behaviour>

/** The behaviours of BEHAVIOURS.md, as data shipped with the project. */
export function loadCatalogue(file = resolve(SPECS_DIR, 'behaviours.yaml')): Catalogue {
  const source = readValidated(file, PROJECT_ROOT, 'behaviours.schema.json')
  const list = (source.data as { behaviours: Behaviour[] }).behaviours
  const first = new Map<string, number>()
  const errors = list.flatMap((b, i) => {
    const seen = first.get(b.id)
    if (seen === undefined) first.set(b.id, i)
    return seen === undefined ? [] : [source.error('DUPLICATE_ID', `behaviour ${b.id} is already defined (entry ${seen + 1})`, ['behaviours', i, 'id'])]
  })
  if (errors.length) throw new SpecErrors(errors)
  return new Map(list.map((b) => [b.id, b]))
}

export const CROSS_CUTTING = ['X-1', 'X-2', 'X-3'] as const

/** The strongest level among behaviour IDs (an unknown ID counts as MUST). */
export function strongestLevel(ids: readonly string[], catalogue: Catalogue): Level {
  let best: Level = 'ADVISORY'
  for (const id of ids) {
    const l = catalogue.get(id)?.level ?? 'MUST'
    if (LEVEL_RANK[l] > LEVEL_RANK[best]) best = l
  }
  return best
}

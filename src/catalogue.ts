import { resolve } from 'node:path'
import { SPECS_DIR, PROJECT_ROOT } from './paths.ts'
import { readValidated } from './spec/schema-check.ts'
import type { Behaviour } from './spec/model.ts'

export type Catalogue = ReadonlyMap<string, Behaviour>

/** The behaviours of BEHAVIOURS.md, as data shipped with the project. */
export function loadCatalogue(file = resolve(SPECS_DIR, 'behaviours.yaml')): Catalogue {
  const source = readValidated(file, PROJECT_ROOT, 'behaviours.schema.json')
  const list = (source.data as { behaviours: Behaviour[] }).behaviours
  return new Map(list.map((b) => [b.id, b]))
}

export const CROSS_CUTTING = ['X-1', 'X-2', 'X-3'] as const

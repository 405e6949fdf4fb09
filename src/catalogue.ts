import { resolve } from 'node:path'
import { SPECS_DIR, PROJECT_ROOT } from './paths.ts'
import { SourceFile } from './yaml/source.ts'
import { checkAgainstSchema } from './spec/schema-check.ts'
import { SpecErrors } from './errors.ts'
import type { Behaviour } from './spec/model.ts'

export type Catalogue = ReadonlyMap<string, Behaviour>

/** The behaviours of BEHAVIOURS.md, as data shipped with the project. */
export function loadCatalogue(file = resolve(SPECS_DIR, 'behaviours.yaml')): Catalogue {
  let source: SourceFile
  try {
    source = SourceFile.read(file, PROJECT_ROOT)
  } catch (e) {
    throw new SpecErrors(Array.isArray(e) ? e : [e as never])
  }
  const errors = checkAgainstSchema(source, 'behaviours.schema.json')
  if (errors.length) throw new SpecErrors(errors)
  const list = (source.data as { behaviours: Behaviour[] }).behaviours
  return new Map(list.map((b) => [b.id, b]))
}

export const CROSS_CUTTING = ['X-1', 'X-2', 'X-3'] as const

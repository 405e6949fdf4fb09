import { resolve } from 'node:path'
import { SPECS_DIR, PROJECT_ROOT } from './paths.ts'
import { SpecErrors } from './errors.ts'
import { readValidated } from './spec/schema-check.ts'
import { LEVEL_RANK, type Behaviour, type Level } from './spec/model.ts'

export type Catalogue = ReadonlyMap<string, Behaviour>

/** The documented behaviours (specs/behaviours.yaml), each with its level and the source of that level. */
export function loadCatalogue(file = resolve(SPECS_DIR, 'behaviours.yaml')): Catalogue {
  const source = readValidated(file, PROJECT_ROOT, 'behaviours.schema.json')
  const list = (source.data as { behaviours: Behaviour[] }).behaviours
  const first = new Map<string, number>()
  const errors = list.flatMap((b, i) => {
    const seen = first.get(b.id)
    if (seen === undefined) first.set(b.id, i)
    return seen === undefined ? [] : [source.error('DUPLICATE_ID', `behaviour ${b.id} is already defined (entry ${seen + 1})`, ['behaviours', i, 'id'])]
  })
  errors.push(...list.flatMap((b, i) => levelSourceErrors(b).map((m) => source.error('LEVEL_SOURCE', m, ['behaviours', i, 'level']))))
  if (errors.length) throw new SpecErrors(errors)
  return new Map(list.map((b) => [b.id, b]))
}

/**
 * DESIGN, "Where the truth comes from": a behaviour a page (or the vendor's docs, or the framework) states may be
 * MUST; one that rests on a DESIGN decision alone is MUST only where every reasonable implementation must agree,
 * and the catalogue says why (`mustBecause`). Otherwise it is SHOULD or ADVISORY, or its spec accepts each outcome.
 */
export function levelSourceErrors(b: Pick<Behaviour, 'id' | 'level' | 'source' | 'mustBecause'>): string[] {
  if (b.level !== 'MUST') return []
  const kinds = (b.source ?? '').split('; ').map((part) => part.split(' ')[0])
  if (kinds.some((k) => k !== 'DESIGN') || b.mustBecause) return []
  return [
    `${b.id} is MUST but its source is a DESIGN decision alone ("${b.source}"): make it SHOULD or ADVISORY, let its specs accept each allowed outcome, or say in mustBecause why every reasonable implementation must agree`,
  ]
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

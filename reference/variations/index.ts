/**
 * The variation catalogue: every variation, names unique across files. A new one goes into the file of its
 * API (or of its layer, for '*'), with the source that allows it.
 */
import { ReferenceConfigError } from '../errors.ts'
import { EMBEDDED_APIS } from '../registry.ts'
import { ECGRID_REST_VARIATIONS } from './ecgrid-rest.ts'
import { ECGRIDOS_VARIATIONS } from './ecgridos.ts'
import { HTTP_VARIATIONS } from './http.ts'
import { INFOROUTER_VARIATIONS } from './inforouter.ts'
import { LOGICMELON_VARIATIONS } from './logicmelon.ts'
import { STRICT_EMAIL } from './strict-email.ts'
import type { Variation, VariationListing } from './types.ts'
import { XML_VARIATIONS } from './xml.ts'

export type { Variation, VariationInfo, VariationListing } from './types.ts'

const ALL: readonly Variation[] = [
  ...XML_VARIATIONS,
  ...HTTP_VARIATIONS,
  ...INFOROUTER_VARIATIONS,
  ...ECGRIDOS_VARIATIONS,
  STRICT_EMAIL,
  ...ECGRID_REST_VARIATIONS,
  ...LOGICMELON_VARIATIONS,
]

/** The APIs variations are checked against (registry entries with a place in the variations). */
const varied = (): string[] => EMBEDDED_APIS.filter((a) => a.varied).map((a) => a.api)

/** The varied APIs over one store as `api`: a change to one can show in the other's checks (the cross-API EO-12 among them). */
function sharingBackend(api: string): string[] {
  const backend = EMBEDDED_APIS.find((a) => a.api === api)?.backend
  return EMBEDDED_APIS.filter((a) => a.varied && a.backend === backend).map((a) => a.api)
}

function apisOf(v: Variation): string[] {
  const embedded = varied()
  const changed = new Set<string>(EMBEDDED_APIS.filter((a) => a.varied && a.wrappedBy(v.wraps)).map((a) => a.api))
  if ((v.wraps.http?.length ?? 0) > 0) for (const api of v.api === '*' ? embedded : [v.api]) changed.add(api)
  for (const api of [...changed]) for (const other of sharingBackend(api)) changed.add(other)
  return embedded.filter((api) => changed.has(api))
}

export function listVariations(): VariationListing[] {
  return ALL.map((v) => ({ name: v.name, api: v.api, description: v.description, source: v.source, apis: apisOf(v) }))
}

function variationNames(): string[] {
  return ALL.map((v) => v.name)
}

/**
 * The variations chosen for one reference instance, in the order named (duplicates ignored); each varied API's entry
 * takes its wraps from them. An unknown name throws UNKNOWN_VARIATION listing the valid ones.
 */
export function selectVariations(names: readonly string[] = []): Variation[] {
  const valid = variationNames()
  const unknown = names.filter((name) => !valid.includes(name))
  if (unknown.length > 0) {
    throw new ReferenceConfigError(
      'UNKNOWN_VARIATION',
      `Unknown variation${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Valid names: ${valid.join(', ')}.`,
      valid,
    )
  }
  return [...new Set(names)].map((name) => ALL.find((v) => v.name === name)!)
}

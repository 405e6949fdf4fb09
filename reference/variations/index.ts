/**
 * The variation catalogue: every variation, names unique across files. A new one goes into the file of its
 * API (or of its layer, for '*'), with the source that allows it.
 */
import type { AsmxWrap } from '../asmx/pipeline.ts'
import type { EcUser } from '../ecgrid/users.ts'
import type { ErContext } from '../ecgrid-rest/context.ts'
import type { EoContext } from '../ecgridos/context.ts'
import { ReferenceConfigError } from '../errors.ts'
import type { Mount } from '../http/types.ts'
import type { IrContext } from '../inforouter/context.ts'
import type { LmWrap } from '../logicmelon/index.ts'
import type { RestWrap } from '../rest/pipeline.ts'
import { ECGRID_REST_VARIATIONS } from './ecgrid-rest.ts'
import { ECGRIDOS_VARIATIONS } from './ecgridos.ts'
import { HTTP_VARIATIONS } from './http.ts'
import { INFOROUTER_VARIATIONS } from './inforouter.ts'
import { LOGICMELON_VARIATIONS } from './logicmelon.ts'
import { STRICT_EMAIL } from './strict-email.ts'
import type { HttpWrap, Variation, VariationListing } from './types.ts'
import { wrapMount } from './wraps.ts'
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

const EMBEDDED = ['inforouter', 'ecgridos', 'ecgrid-rest', 'logicmelon'] as const
/** APIs over one store: a change to one can show in the other's checks (the cross-API EO-12 among them). */
const SHARED_BACKENDS: ReadonlyArray<readonly string[]> = [['ecgridos', 'ecgrid-rest']]

function apisOf(v: Variation): string[] {
  const changed = new Set<string>(EMBEDDED.filter((api) => (v.wraps[api]?.length ?? 0) > 0))
  if ((v.wraps.http?.length ?? 0) > 0) for (const api of v.api === '*' ? EMBEDDED : [v.api]) changed.add(api)
  for (const group of SHARED_BACKENDS) if (group.some((api) => changed.has(api))) for (const api of group) changed.add(api)
  return EMBEDDED.filter((api) => changed.has(api))
}

export function listVariations(): VariationListing[] {
  return ALL.map((v) => ({ name: v.name, api: v.api, description: v.description, source: v.source, apis: apisOf(v) }))
}

function variationNames(): string[] {
  return ALL.map((v) => v.name)
}

/** The wrappers of the variations chosen for one reference instance, per API, in the order they were named. */
export interface SelectedVariations {
  readonly names: readonly string[]
  readonly inforouter: readonly AsmxWrap<IrContext>[]
  readonly ecgridos: readonly AsmxWrap<EoContext>[]
  readonly 'ecgrid-rest': readonly RestWrap<ErContext, EcUser>[]
  readonly logicmelon: readonly LmWrap[]
  /** An API's mount with the chosen HTTP-level wraps that apply to that API. */
  mount(api: string, mount: Mount): Mount
}

/** Resolves names (duplicates ignored); an unknown name throws UNKNOWN_VARIATION listing the valid ones. */
export function selectVariations(names: readonly string[] = []): SelectedVariations {
  const valid = variationNames()
  const unknown = names.filter((name) => !valid.includes(name))
  if (unknown.length > 0) {
    throw new ReferenceConfigError(
      'UNKNOWN_VARIATION',
      `Unknown variation${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Valid names: ${valid.join(', ')}.`,
      valid,
    )
  }
  const chosen = [...new Set(names)].map((name) => ALL.find((v) => v.name === name)!)
  const httpFor = (api: string): HttpWrap[] => chosen.filter((v) => v.api === '*' || v.api === api).flatMap((v) => v.wraps.http ?? [])
  return {
    names: chosen.map((v) => v.name),
    inforouter: chosen.flatMap((v) => v.wraps.inforouter ?? []),
    ecgridos: chosen.flatMap((v) => v.wraps.ecgridos ?? []),
    'ecgrid-rest': chosen.flatMap((v) => v.wraps['ecgrid-rest'] ?? []),
    logicmelon: chosen.flatMap((v) => v.wraps.logicmelon ?? []),
    mount: (api, mount) => wrapMount(mount, httpFor(api)),
  }
}

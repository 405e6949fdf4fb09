/**
 * All deviation catalogues, one per API. A new API adds its file and one entry to CATALOGUES; names are
 * unique across catalogues.
 */
import { ReferenceConfigError } from '../errors.ts'
import { ECGRIDOS_ANSWER_DEVIATIONS, ECGRID_REST_ANSWER_DEVIATIONS, LOGICMELON_ANSWER_DEVIATIONS } from './answers.ts'
import { ECGRIDOS_DEVIATIONS, ECGRID_REST_DEVIATIONS, type EcgridOsDeviation, type EcgridRestDeviation } from './ecgrid.ts'
import { ECGRIDOS_V41_DEVIATIONS, type EcgridOsV41Deviation } from './ecgridos-v41.ts'
import { INFOROUTER_DEVIATIONS, type InfoRouterDeviation } from './inforouter.ts'
import { INFOROUTER_DATA_DEVIATIONS } from './inforouter-data.ts'
import { LOGICMELON_DEVIATIONS, type LogicMelonDeviation } from './logicmelon.ts'
import type { DeviationInfo } from './types.ts'

const CATALOGUES = {
  inforouter: [...INFOROUTER_DEVIATIONS, ...INFOROUTER_DATA_DEVIATIONS],
  ecgridos: [...ECGRIDOS_DEVIATIONS, ...ECGRIDOS_ANSWER_DEVIATIONS],
  'ecgrid-rest': [...ECGRID_REST_DEVIATIONS, ...ECGRID_REST_ANSWER_DEVIATIONS],
  logicmelon: [...LOGICMELON_DEVIATIONS, ...LOGICMELON_ANSWER_DEVIATIONS],
  'ecgridos-v41': ECGRIDOS_V41_DEVIATIONS,
} as const

export type DeviationCatalogues = typeof CATALOGUES

/** The deviations chosen for one reference instance, per API, in the order they were named. */
export interface SelectedDeviations {
  readonly inforouter: readonly InfoRouterDeviation[]
  readonly ecgridos: readonly EcgridOsDeviation[]
  readonly 'ecgrid-rest': readonly EcgridRestDeviation[]
  readonly logicmelon: readonly LogicMelonDeviation[]
  readonly 'ecgridos-v41': readonly EcgridOsV41Deviation[]
}

const ALL: readonly DeviationInfo[] = Object.values(CATALOGUES).flat()

export function listDeviations(): Array<{ name: string; api: string; breaks: string[]; description: string }> {
  return ALL.map(({ name, api, breaks, description }) => ({ name, api, breaks: [...breaks], description }))
}

export function deviationNames(): string[] {
  return ALL.map((d) => d.name)
}

/** Resolves names (duplicates ignored); an unknown name throws UNKNOWN_DEVIATION listing the valid ones. */
export function selectDeviations(names: readonly string[] = []): SelectedDeviations {
  const valid = deviationNames()
  const unknown = names.filter((name) => !valid.includes(name))
  if (unknown.length > 0) {
    throw new ReferenceConfigError(
      'UNKNOWN_DEVIATION',
      `Unknown deviation${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Valid names: ${valid.join(', ')}.`,
      valid,
    )
  }
  const wanted = [...new Set(names)]
  const pick = <D extends DeviationInfo>(catalogue: readonly D[]): D[] =>
    wanted.flatMap((name) => catalogue.filter((d) => d.name === name))
  return {
    inforouter: pick(CATALOGUES.inforouter),
    ecgridos: pick(CATALOGUES.ecgridos),
    'ecgrid-rest': pick(CATALOGUES['ecgrid-rest']),
    logicmelon: pick(CATALOGUES.logicmelon),
    'ecgridos-v41': pick(CATALOGUES['ecgridos-v41']),
  }
}

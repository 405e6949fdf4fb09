import type { ReferenceErrorCode } from '../../reference/index.ts'
import { ConformError } from '../errors.ts'
import { embeddedReference } from '../run/resolve-target.ts'

/** What the embedded reference can be made to do on the command line: --deviate names deviations, --vary variations. */
export interface ReferenceNames {
  deviations?: readonly string[]
  variations?: readonly string[]
}

/**
 * Every name must be one the embedded reference has (`conform deviations`, `conform variations`); the first that is
 * not is bad usage (exit 2), coded as the reference codes it: UNKNOWN_DEVIATION, UNKNOWN_VARIATION. Used by run,
 * serve, self-check and compare, so the same mistake reads the same whichever command it is made on.
 */
export function checkReferenceNames(names: ReferenceNames): void {
  // Nothing named (every run against a configured target): the reference is not even loaded.
  if (!names.deviations?.length && !names.variations?.length) return
  const { listDeviations, listVariations } = embeddedReference()
  const deviations = new Set(listDeviations().map((d) => d.name))
  const deviation = names.deviations?.find((d) => !deviations.has(d))
  if (deviation !== undefined)
    throw new ConformError('UNKNOWN_DEVIATION' satisfies ReferenceErrorCode, 'spec', `unknown deviation "${deviation}" (see conform deviations)`)
  const variations = new Set(listVariations().map((v) => v.name))
  const variation = names.variations?.find((v) => !variations.has(v))
  if (variation !== undefined)
    throw new ConformError('UNKNOWN_VARIATION' satisfies ReferenceErrorCode, 'spec', `unknown variation "${variation}" (see conform variations)`)
}

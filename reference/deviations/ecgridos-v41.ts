/**
 * Deviations of the live ECGridOS profile (D1b): each breaks EL behaviours the way a real implementation of the
 * v4.1 WSDL might.
 */
import type { AsmxWrap } from '../asmx/pipeline.ts'
import type { ElContext } from '../ecgridos-v41/context.ts'
import type { Deviation } from './types.ts'

export type EcgridOsV41Deviation = Deviation<AsmxWrap<ElContext>>

export const ECGRIDOS_V41_DEVIATIONS: readonly EcgridOsV41Deviation[] = []

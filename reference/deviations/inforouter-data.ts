/**
 * infoRouter deviations about data and description: what a service does to the values it is given (case, non-ASCII,
 * `+`), and how its WSDL describes the operations. Registered with the infoRouter catalogue (index.ts).
 */
import type { AsmxWrap } from '../asmx/pipeline.ts'
import type { ServiceSpec } from '../asmx/types.ts'
import { withoutParam } from '../asmx/wsdl-edits.ts'
import type { IrContext } from '../inforouter/context.ts'
import type { InfoRouterDeviation } from './inforouter.ts'

/** The WSDL describes the service as `edit` makes it (the service itself is unchanged). */
const describedAs = (edit: (spec: ServiceSpec) => ServiceSpec): AsmxWrap<IrContext> => ({ layer: 'wsdl', around: (next) => (spec, origin) => next(edit(spec), origin) })

export const INFOROUTER_DATA_DEVIATIONS: readonly InfoRouterDeviation[] = [
  {
    name: 'ir-wsdl-email-lacks-address',
    api: 'inforouter',
    breaks: ['IE-1'],
    description: "The WSDL's UpdateUserEmail element declares no NewEmailAddress (the service still reads it): a generated client cannot send the address.",
    wraps: [describedAs((spec) => withoutParam(spec, 'UpdateUserEmail', 'NewEmailAddress'))],
  },
]

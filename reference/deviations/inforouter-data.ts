/**
 * infoRouter deviations about data and description: what a service does to the values it is given (case, non-ASCII,
 * `+`), and how its WSDL describes the operations. Registered with the infoRouter catalogue (index.ts).
 */
import type { AsmxWrap, Around } from '../asmx/pipeline.ts'
import type { OperationHandler, ServiceSpec } from '../asmx/types.ts'
import { withoutParam } from '../asmx/wsdl-edits.ts'
import { digitsAsNumber, lowerCased } from '../data/normalise.ts'
import type { IrContext } from '../inforouter/context.ts'
import type { InfoRouterDeviation } from './inforouter.ts'

/** The WSDL describes the service as `edit` makes it (the service itself is unchanged). */
const describedAs = (edit: (spec: ServiceSpec) => ServiceSpec): AsmxWrap<IrContext> => ({
  layer: 'wsdl',
  around: (next) => (spec, origin) => next(edit(spec), origin),
})

type Handler = OperationHandler<IrContext>

/** The handler sees the named parameters through `f` (nil and left-out parameters stay as they are). */
const paramsThrough =
  (names: readonly string[], f: (value: string) => string): Around<Handler> =>
  (next) =>
  (ctx, params) =>
    next(ctx, { ...params, ...Object.fromEntries(names.flatMap((n) => (typeof params[n] === 'string' ? [[n, f(params[n])]] : []))) })

const onUpdates = (names: readonly string[], f: (value: string) => string): AsmxWrap<IrContext> => ({
  layer: 'operation',
  operations: ['UpdateUserEmail', 'UpdateUserContactInfo'],
  around: paramsThrough(names, f),
})

export const INFOROUTER_DATA_DEVIATIONS: readonly InfoRouterDeviation[] = [
  {
    name: 'ir-wsdl-email-lacks-address',
    api: 'inforouter',
    breaks: ['IE-1'],
    description: "The WSDL's UpdateUserEmail element declares no NewEmailAddress (the service still reads it): a generated client cannot send the address.",
    wraps: [describedAs((spec) => withoutParam(spec, 'UpdateUserEmail', 'NewEmailAddress'))],
  },
  {
    name: 'ir-lowercases-email',
    api: 'inforouter',
    // Every check that sends an address sees it changed, the current one sent back (IE-4, IC-2) included.
    breaks: ['IE-1', 'IE-2', 'IE-4', 'IE-5', 'IE-9', 'IC-1', 'IC-2', 'IC-4', 'IC-6', 'IC-8', 'IC-9', 'IC-10'],
    description: 'UpdateUserEmail and UpdateUserContactInfo store the address folded to lower case, local part included.',
    wraps: [onUpdates(['NewEmailAddress', 'emailAddress'], lowerCased)],
  },
  {
    name: 'ir-mobile-as-number',
    api: 'inforouter',
    // Every check that sends a mobile number of digits sees it changed, the current one sent back (IC-2, IC-3, IC-4) included.
    breaks: ['IC-1', 'IC-2', 'IC-3', 'IC-4', 'IC-6', 'IC-8'],
    description: 'UpdateUserContactInfo stores a mobile number of digits as a number: its leading 0 is lost (07700900123 → 7700900123).',
    wraps: [onUpdates(['mobileNumber'], digitsAsNumber)],
  },
]

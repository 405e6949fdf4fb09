/**
 * An ASMX service as a mount: `service.asmx?WSDL`, the documentation page, SOAP on `POST service.asmx`,
 * HttpGet/HttpPost on `service.asmx/Op` (when the spec enables them). Vendor modules (infoRouter, ECGridOS,
 * later LogicMelon) provide the spec, the handler table, a context factory and their internal-error
 * outcome; deviations arrive as wrappers and are composed here, once. A handler's SoapFaultError is answered
 * as that fault, after its unit of work rolled back.
 */
import { XmlCharacterError } from '../errors.ts'
import { textAnswer, type HttpAnswer, type HttpCall, type Mount } from '../http/types.ts'
import { buildDocPage } from './doc-page.ts'
import type { Endpoint } from './endpoint.ts'
import { SoapFaultError } from './fault.ts'
import { handleHttpOperation, UNRECOGNIZED_FORMAT } from './http-protocol.ts'
import { basePipeline, composePipeline, type AsmxWrap } from './pipeline.ts'
import { handleSoap } from './soap-protocol.ts'
import {
  httpProtocolsEnabled,
  isStructured,
  paramType,
  type CallInfo,
  type OperationHandler,
  type OperationOutcome,
  type OperationSpec,
  type ParamValue,
  type Params,
  type ServiceSpec,
} from './types.ts'
import { hasQueryKey } from './url-decode.ts'

export interface AsmxServiceOptions<C, V extends ParamValue = string | null> {
  readonly spec: ServiceSpec
  readonly handlers: Readonly<Record<string, OperationHandler<C, V>>>
  /** Builds the context one call's handler sees. */
  readonly context: (call: CallInfo) => C
  /** The outcome for an unexpected internal error in `operation` (never a stack trace). */
  readonly internalError: (operation: string) => OperationOutcome
  /** Runs one operation call, e.g. in a database transaction. Default: just runs it. */
  readonly unitOfWork?: <T>(fn: () => T) => T
  readonly wraps?: readonly AsmxWrap<C, V>[]
}

function isWriteError(error: unknown): boolean {
  return error instanceof XmlCharacterError
}

/** GET/POST carry strings only: ASMX leaves operations with complex parameters out of those protocols. */
function assertProtocolsFit(spec: ServiceSpec): void {
  const structured = spec.operations.find((op) => op.params.some((p) => isStructured(spec, paramType(op, p))))
  if (structured !== undefined && httpProtocolsEnabled(spec)) {
    throw new Error(`${spec.name}.${structured.name} takes a complex parameter: the service needs httpProtocols: false`)
  }
}

export function createAsmxService<C, V extends ParamValue = string | null>(options: AsmxServiceOptions<C, V>): Mount {
  const { spec } = options
  assertProtocolsFit(spec)
  const pipeline = composePipeline(basePipeline(spec.operations, options.handlers), options.wraps ?? [])
  const unitOfWork = options.unitOfWork ?? (<T>(fn: () => T): T => fn())
  const basePath = spec.path.toLowerCase()

  const run = (op: OperationSpec, params: Params<ParamValue>, call: CallInfo): OperationOutcome => {
    const handler = pipeline.operations.get(op.name)
    if (handler === undefined) return options.internalError(op.name)
    // The readers produce what the spec declares: text and nil only, unless a parameter has a complex type.
    const typed = params as Params<V>
    try {
      return { kind: 'result', element: unitOfWork(() => handler(options.context(call), typed)) }
    } catch (error) {
      return error instanceof SoapFaultError ? { kind: 'fault', fault: error.fault } : options.internalError(op.name)
    }
  }

  const endpoint: Endpoint = {
    service: spec,
    stages: pipeline,
    answer(op, params, binding, write): HttpAnswer {
      const emit = (outcome: OperationOutcome): HttpAnswer => (outcome.kind === 'result' ? write.result(outcome.element) : write.fault(outcome.fault))
      const outcome = run(op, params, { binding, operation: op.name })
      try {
        return emit(outcome)
      } catch (error) {
        if (!isWriteError(error)) throw error
        return emit(options.internalError(op.name))
      }
    },
  }

  // ASMX with HttpGet and HttpPost removed from <protocols>: no protocol claims a path with PathInfo
  const handlePathInfo = (call: HttpCall, rest: string): HttpAnswer =>
    httpProtocolsEnabled(spec)
      ? handleHttpOperation(call, rest.slice(1), endpoint)
      : textAnswer(500, `Request format is unrecognized for URL unexpectedly ending in '${rest}'.`)

  const handleRoot = (call: HttpCall): HttpAnswer => {
    if (call.method === 'POST') return handleSoap(call, endpoint)
    if (call.method !== 'GET') return UNRECOGNIZED_FORMAT
    if (hasQueryKey(call.query, 'wsdl')) {
      return { status: 200, contentType: 'text/xml; charset=utf-8', body: pipeline.describe(spec, call.origin) }
    }
    return { status: 200, contentType: 'text/html; charset=utf-8', body: buildDocPage(spec) }
  }

  return {
    name: spec.name,
    matches: (path) => {
      const lower = path.toLowerCase()
      return lower === basePath || lower.startsWith(`${basePath}/`)
    },
    handle: (call) => {
      try {
        const rest = call.path.slice(basePath.length)
        return rest === '' ? handleRoot(call) : handlePathInfo(call, rest)
      } catch {
        return textAnswer(500, 'An error occurred on the server.')
      }
    },
  }
}

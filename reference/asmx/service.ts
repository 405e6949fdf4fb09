/**
 * An ASMX service as a mount: `service.asmx?WSDL`, the documentation page, SOAP on `POST service.asmx`,
 * HttpGet/HttpPost on `service.asmx/Op`. Vendor modules (infoRouter, later LogicMelon, ECGridOS) provide
 * the spec, the handler table, a context factory and their internal-error answer; deviations arrive as
 * wrappers and are composed here, once.
 */
import { XmlCharacterError } from '../errors.ts'
import { textAnswer, type HttpAnswer, type HttpCall, type Mount } from '../http/types.ts'
import { buildDocPage } from './doc-page.ts'
import type { Endpoint } from './endpoint.ts'
import { handleHttpOperation, UNRECOGNIZED_FORMAT } from './http-protocol.ts'
import { basePipeline, composePipeline, type AsmxWrap } from './pipeline.ts'
import { handleSoap } from './soap-protocol.ts'
import type { CallInfo, OperationHandler, OperationSpec, ServiceSpec } from './types.ts'
import { hasQueryKey } from './url-decode.ts'
import { buildWsdl } from './wsdl.ts'
import type { XmlElement } from './xml.ts'

export interface AsmxServiceOptions<C> {
  readonly spec: ServiceSpec
  readonly handlers: Readonly<Record<string, OperationHandler<C>>>
  /** Builds the context one call's handler sees. */
  readonly context: (call: CallInfo) => C
  /** The answer for an unexpected internal error in `operation` (never a stack trace). */
  readonly internalError: (operation: string) => XmlElement
  /** Runs one operation call, e.g. in a database transaction. Default: just runs it. */
  readonly unitOfWork?: <T>(fn: () => T) => T
  readonly wraps?: readonly AsmxWrap<C>[]
}

function isWriteError(error: unknown): boolean {
  return error instanceof XmlCharacterError
}

export function createAsmxService<C>(options: AsmxServiceOptions<C>): Mount {
  const { spec } = options
  const pipeline = composePipeline(basePipeline(spec.operations, options.handlers), options.wraps ?? [])
  const unitOfWork = options.unitOfWork ?? (<T>(fn: () => T): T => fn())
  const basePath = spec.path.toLowerCase()

  const run = (op: OperationSpec, params: Parameters<OperationHandler<C>>[1], call: CallInfo): XmlElement => {
    const handler = pipeline.operations.get(op.name)
    if (handler === undefined) return options.internalError(op.name)
    try {
      return unitOfWork(() => handler(options.context(call), params))
    } catch {
      return options.internalError(op.name)
    }
  }

  const endpoint: Endpoint = {
    service: spec,
    stages: pipeline,
    answer(op, params, binding, write): HttpAnswer {
      const element = run(op, params, { binding, operation: op.name })
      try {
        return write(element)
      } catch (error) {
        if (!isWriteError(error)) throw error
        return write(options.internalError(op.name))
      }
    },
  }

  const handleRoot = (call: HttpCall): HttpAnswer => {
    if (call.method === 'POST') return handleSoap(call, endpoint)
    if (call.method !== 'GET') return UNRECOGNIZED_FORMAT
    if (hasQueryKey(call.query, 'wsdl')) {
      return { status: 200, contentType: 'text/xml; charset=utf-8', body: buildWsdl(spec, call.origin) }
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
        return rest === '' ? handleRoot(call) : handleHttpOperation(call, rest.slice(1), endpoint)
      } catch {
        return textAnswer(500, 'An error occurred on the server.')
      }
    },
  }
}

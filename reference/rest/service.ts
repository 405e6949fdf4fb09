/**
 * A REST service as a mount: routes under a prefix, one handler per route, JSON answers through the
 * presenter and envelope stages (so that deviations reach every answer, errors included). Deviations arrive
 * as wrappers and are composed once. Anything thrown below is the API's internal error, never a stack trace.
 */
import type { HttpAnswer, HttpCall, Mount } from '../http/types.ts'
import { composeRestPipeline, JSON_CONTENT_TYPE, writeJson, type EnvelopeWriter, type Presenter, type RestWrap } from './pipeline.ts'
import { routeRequest } from './routes.ts'
import type { RestError, RestHandler, RestResult, RestRoute } from './types.ts'

export { JSON_CONTENT_TYPE } from './pipeline.ts'

export interface RestErrors {
  readonly notFound: RestError
  readonly methodNotAllowed: RestError
  readonly tooLarge: RestError
  readonly internal: RestError
}

export interface RestServiceOptions<C, D> {
  readonly name: string
  /** The path prefix the mount claims, e.g. `/v2`. */
  readonly prefix: string
  readonly routes: readonly RestRoute[]
  readonly handlers: Readonly<Record<string, RestHandler<C, D>>>
  readonly present: Presenter<D>
  readonly envelope: EnvelopeWriter
  /** Builds the context one call's handler sees. */
  readonly context: () => C
  readonly errors: RestErrors
  /** Runs one call, e.g. in a database transaction. Default: just runs it. */
  readonly unitOfWork?: <T>(fn: () => T) => T
  readonly wraps?: readonly RestWrap<C, D>[]
}

export function createRestService<C, D>(options: RestServiceOptions<C, D>): Mount {
  const table = new Map<string, RestHandler<C, D>>()
  for (const route of options.routes) {
    const handler = options.handlers[route.name]
    if (handler === undefined) throw new Error(`no handler for route ${route.name}`)
    table.set(route.name, handler)
  }
  const pipeline = composeRestPipeline({ operations: table, present: options.present, envelope: options.envelope, writeJson }, options.wraps ?? [])
  const unitOfWork = options.unitOfWork ?? (<T>(fn: () => T): T => fn())
  const prefix = options.prefix.toLowerCase()

  const write = (result: RestResult<unknown>, headers?: Record<string, string>): HttpAnswer => {
    const answer = pipeline.writeJson(pipeline.envelope(result))
    return headers ? { ...answer, headers: { ...answer.headers, ...headers } } : answer
  }

  const present = (result: RestResult<D>): RestResult<unknown> => (result.ok ? { ...result, data: pipeline.present(result.data) } : result)

  const handle = (call: HttpCall): HttpAnswer => {
    const routed = routeRequest(options.routes, call.method, call.rawPath)
    if (routed.kind === 'not-found') return write(options.errors.notFound)
    if (routed.kind === 'method-not-allowed') return write(options.errors.methodNotAllowed, { Allow: routed.allow.join(', ') })
    const handler = pipeline.operations.get(routed.route.name)
    if (handler === undefined) return write(options.errors.internal)
    const request = { method: call.method, params: routed.params, headers: call.headers, body: call.body }
    return write(present(unitOfWork(() => handler(options.context(), request))))
  }

  return {
    name: options.name,
    matches: (path) => {
      const lower = path.toLowerCase()
      return lower === prefix || lower.startsWith(`${prefix}/`)
    },
    handle: (call) => {
      try {
        return handle(call)
      } catch {
        try {
          return write(options.errors.internal)
        } catch {
          return { status: 500, contentType: JSON_CONTENT_TYPE, body: JSON.stringify({ success: false, data: null }) }
        }
      }
    },
    tooLarge: () => write(options.errors.tooLarge),
  }
}

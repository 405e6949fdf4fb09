/** What a REST (JSON) API is made of, independent of any vendor: routes, handlers, results as values. */
import type { IncomingHttpHeaders } from 'node:http'

export interface RestRequest {
  readonly method: string
  /** Path parameters by name (`:id` in the pattern), percent-decoded. */
  readonly params: Readonly<Record<string, string>>
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
}

export interface RestError {
  readonly ok: false
  readonly status: number
  readonly errorCode: string
  readonly message: string
}

export type RestResult<D> = { readonly ok: true; readonly status: number; readonly data: D } | RestError

export type RestHandler<C, D> = (ctx: C, request: RestRequest) => RestResult<D>

export interface RestRoute {
  /** The operation name handlers and deviations use (`PutUser`). */
  readonly name: string
  readonly method: string
  /** e.g. `/v2/users/:id`; literal segments match case-insensitively. */
  readonly pattern: string
}

/** An answer before serialisation: the status and the JSON body (the envelope). */
export interface JsonAnswer {
  readonly status: number
  readonly body: Readonly<Record<string, unknown>>
}

export const restError = (status: number, errorCode: string, message: string): RestError => ({ ok: false, status, errorCode, message })

export const header = (request: RestRequest, name: string): string | undefined => {
  const value = request.headers[name.toLowerCase()]
  return Array.isArray(value) ? value.join(', ') : value
}

import type { IncomingHttpHeaders } from 'node:http'

/** One request, fully read (the body is already capped), as the API modules see it. */
export interface HttpCall {
  readonly method: string
  /** The path, percent-decoded (IIS decodes it before ASP.NET routes on it). */
  readonly path: string
  /** The path as sent, still percent-encoded. */
  readonly rawPath: string
  /** The query string without '?', still encoded. */
  readonly query: string
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
  /** `http://host:port` as the client addressed the server (used for WSDL addresses). */
  readonly origin: string
}

/** An answer as a value; the server writes it (adding Content-Length and Cache-Control). */
export interface HttpAnswer {
  readonly status: number
  readonly contentType?: string
  readonly body: string | Uint8Array
  readonly headers?: Readonly<Record<string, string>>
  /** Sent with Transfer-Encoding: chunked (in two chunks) instead of Content-Length. Only variations set it. */
  readonly chunked?: boolean
  /** The status line's reason phrase (default: the standard one for the status). Only variations set it. */
  readonly reason?: string
}

/** A part of the URL space served by one module (an API's service path, the control endpoint). */
export interface Mount {
  readonly name: string
  matches(path: string): boolean
  handle(call: HttpCall): HttpAnswer | Promise<HttpAnswer>
  /** The mount's own answer to a body over the size limit; default: 413 text/plain. */
  tooLarge?(): HttpAnswer
}

export function header(call: HttpCall, name: string): string | undefined {
  const value = call.headers[name.toLowerCase()]
  return Array.isArray(value) ? value.join(', ') : value
}

export const TEXT_PLAIN = 'text/plain; charset=utf-8'

export function textAnswer(status: number, body: string): HttpAnswer {
  return { status, contentType: TEXT_PLAIN, body }
}

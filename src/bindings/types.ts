import type { Nil } from '../yaml/source.ts'

export const BINDING_NAMES = ['http-get', 'http-post', 'soap11', 'soap12', 'rest-json'] as const
export type BindingName = (typeof BINDING_NAMES)[number]

/** A parameter as sent: text, or nil (SOAP xsi:nil). Left-out parameters are simply absent from the list. */
export type ParamValue = string | Nil

export interface EncodeInput {
  baseUrl: string
  path: string
  operation: string
  namespace: string
  soapAction?: string
  params: ReadonlyArray<readonly [string, ParamValue]>
  /** rest-json: the operation's method, path template and header params. */
  http?: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; headers?: Record<string, string> }
  /** rest-json: JSON types of params. */
  types?: Record<string, 'string' | 'integer'>
}

export interface WireRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  headers: Record<string, string>
  body?: string
}

export interface WireAnswer {
  status: number
  headers: Record<string, string>
  body: string
  /** 429/503 answers with Retry-After that came before this one and were waited out (set by the transport). */
  retries?: Array<{ status: number; retryAfter: string; waitMs: number }>
  /** When the request that got this answer left, and how long it was in flight (set by the transport, for the record). */
  sent?: { startedAt: string; durationMs: number }
}

/** Something wrong with the answer's wire form; `behaviour` says which documented behaviour it breaks. */
export interface WireProblem {
  behaviours: string[]
  code: string
  message: string
}

export type Outcome = (
  | { kind: 'answer'; value: unknown }
  /** `code`: the resolved QName, `soap:Client` for the envelope namespace, else `{uri}local` (bindings/qname.ts). */
  | { kind: 'fault'; code: string; subcodes?: string[]; reason: string; detail: unknown }
  | { kind: 'http-error'; text: string }
  | { kind: 'undecodable'; reason: string }
) & { status: number; contentType: string; problems: WireProblem[] }

export interface DecodeContext {
  operation: string
  namespace: string
  /** The XML element that carries the answer (infoRouter's `<response>`); absent: the result itself. */
  answerElement?: string
  /** The root element of an HTTP GET/POST answer when it is not answerElement (ASMX writes a typed result under its type's name). */
  httpElement?: string
  /** Behaviours of the API that its wire problems (content type, envelope, fault status) also speak against. */
  wireBehaviours?: string[]
}

export interface Binding {
  readonly name: BindingName
  /** Whether a nil value can be expressed (SOAP only). */
  readonly canSendNil: boolean
  readonly contentType: string
  encode(input: EncodeInput): WireRequest
  decode(answer: WireAnswer, ctx: DecodeContext): Outcome
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}

/**
 * What an ASMX service is made of, independent of any vendor: its operations (all parameters are strings,
 * results are XML elements, as infoRouter's and LogicMelon's services declare them) and the handler table.
 */
import type { XmlElement } from './xml.ts'

export type Binding = 'http-get' | 'http-post' | 'soap11' | 'soap12'

export interface OperationSpec {
  readonly name: string
  /** Declared parameter names, in declaration order (SOAP matches them exactly, GET/POST case-insensitively). */
  readonly params: readonly string[]
}

export interface ServiceSpec {
  /** The service name of the WSDL (`srv` for infoRouter's srv.asmx). */
  readonly name: string
  /** The path the service answers on, e.g. `/srv.asmx` (matched case-insensitively, like IIS). */
  readonly path: string
  /** The XML namespace of requests and responses, also the SOAPAction base. */
  readonly namespace: string
  readonly operations: readonly OperationSpec[]
}

/**
 * Parameter values by declared name. A string is a value ("" included); null is SOAP's nil or an element
 * left out (GET/POST cannot express null: a missing parameter is an error before the handler runs).
 */
export type Params = Readonly<Record<string, string | null>>

export interface CallInfo {
  readonly binding: Binding
  readonly operation: string
}

export type OperationHandler<C> = (ctx: C, params: Params) => XmlElement

export function soapAction(service: ServiceSpec, operation: string): string {
  return `${service.namespace}${operation}`
}

/**
 * What an ASMX service is made of, independent of any vendor: its operations and the handler table.
 * Parameters and results are strings and XML nodes unless typed (infoRouter's and LogicMelon's services
 * take strings and return an XmlNode; ECGridOS declares ints, enums and complex types).
 */
import type { SoapFault } from './soap-writer.ts'
import type { XmlElement } from './xml.ts'

export type Binding = 'http-get' | 'http-post' | 'soap11' | 'soap12'

/** A schema type: an XSD built-in (`s:`) or one of the service's own types (`tns:`). */
export type XsdType = 's:string' | 's:int' | 's:boolean' | 's:dateTime' | `tns:${string}`

export interface OperationSpec {
  readonly name: string
  /** Declared parameter names, in declaration order (SOAP matches them exactly, GET/POST case-insensitively). */
  readonly params: readonly string[]
  /** Parameter types by name; a parameter not listed is `s:string`. An `s:int` is parsed by the framework. */
  readonly paramTypes?: Readonly<Record<string, XsdType>>
  /**
   * The declared result type. Left out: an XmlNode (`<s:any />`), which the handler returns as one element
   * written inside `<OpResult>` with `xmlns=""`. Given: the handler returns the `<OpResult>` element itself,
   * its content in the service namespace.
   */
  readonly result?: XsdType
}

/** A named schema type of the service: a complex type (a sequence of elements) or a string enumeration. */
export type SchemaType =
  | { readonly kind: 'complex'; readonly name: string; readonly fields: ReadonlyArray<readonly [string, XsdType]> }
  | { readonly kind: 'enum'; readonly name: string; readonly values: readonly string[] }

export interface ServiceSpec {
  /** The service name of the WSDL (`srv` for infoRouter's srv.asmx). */
  readonly name: string
  /** The path the service answers on, e.g. `/srv.asmx` (matched case-insensitively, like IIS). */
  readonly path: string
  /** The XML namespace of requests and responses, also the SOAPAction base. */
  readonly namespace: string
  readonly operations: readonly OperationSpec[]
  /** The service's own schema types (complex types, enumerations), in WSDL order. */
  readonly types?: readonly SchemaType[]
  /** Whether the HttpGet/HttpPost protocols are enabled (default true). Disabled: SOAP only, also in the WSDL. */
  readonly httpProtocols?: boolean
}

/**
 * Parameter values by declared name. A string is a value ("" included); null is SOAP's nil or an element
 * left out (GET/POST cannot express null: a missing parameter is an error before the handler runs).
 * An `s:int` parameter arrives as its canonical decimal text.
 */
export type Params = Readonly<Record<string, string | null>>

export interface CallInfo {
  readonly binding: Binding
  readonly operation: string
}

/** A handler answers an element, or throws SoapFaultError (fault.ts) for a SOAP fault. */
export type OperationHandler<C> = (ctx: C, params: Params) => XmlElement

/** What one operation call came to: a result element or a fault. */
export type OperationOutcome =
  | { readonly kind: 'result'; readonly element: XmlElement }
  | { readonly kind: 'fault'; readonly fault: SoapFault }

export function soapAction(service: ServiceSpec, operation: string): string {
  return `${service.namespace}${operation}`
}

export const paramType = (op: OperationSpec, name: string): XsdType => op.paramTypes?.[name] ?? 's:string'

export const httpProtocolsEnabled = (service: ServiceSpec): boolean => service.httpProtocols !== false

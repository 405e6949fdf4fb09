/**
 * What an ASMX service is made of, independent of any vendor: its operations and the handler table.
 * Parameters and results are strings and XML nodes unless typed (infoRouter's service takes strings and
 * returns an XmlNode; ECGridOS declares ints, enums and complex results; LogicMelon takes one complex
 * parameter and answers complex types and arrays).
 */
import type { SoapFault } from './soap-writer.ts'
import type { XmlElement } from './xml.ts'

export type Binding = 'http-get' | 'http-post' | 'soap11' | 'soap12'

/** A schema type: an XSD built-in (`s:`) or one of the service's own types (`tns:`). */
export type XsdType = 's:string' | 's:int' | 's:short' | 's:boolean' | 's:dateTime' | `tns:${string}`

export interface OperationSpec {
  readonly name: string
  /** Declared parameter names, in declaration order (SOAP matches them exactly, GET/POST case-insensitively). */
  readonly params: readonly string[]
  /**
   * Parameter types by name; a parameter not listed is `s:string`. `s:int` and `s:boolean` are parsed by the
   * framework, complex and array types (`tns:`) read into nested values (see ParamValue).
   */
  readonly paramTypes?: Readonly<Record<string, XsdType>>
  /**
   * The declared result type. Left out: an XmlNode (`<s:any />`), which the handler returns as one element
   * written inside `<OpResult>` with `xmlns=""`. Given: the handler returns the `<OpResult>` element itself,
   * its content in the service namespace.
   */
  readonly result?: XsdType
  /**
   * Local names (in the service namespace) of the SOAP header blocks the operation maps to [SoapHeader] members:
   * understood, so mustUnderstand on them is satisfied (soap-headers.ts). None of the embedded services documents one.
   */
  readonly soapHeaders?: readonly string[]
}

/**
 * A named schema type of the service: a complex type (a sequence of elements), a string enumeration, or an
 * array as XmlSerializer names it (`ArrayOfCUser`: any number of `<CUser>` items, each nillable).
 */
export type SchemaType =
  | { readonly kind: 'complex'; readonly name: string; readonly fields: ReadonlyArray<readonly [string, XsdType]> }
  | { readonly kind: 'enum'; readonly name: string; readonly values: readonly string[] }
  | { readonly kind: 'array'; readonly name: string; readonly item: string; readonly itemType: XsdType }

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

/** A complex parameter's value: its fields by element name. A field left out is absent; a nil one is null. */
export interface ComplexValue {
  readonly [field: string]: ParamValue | undefined
}

/**
 * A parameter value as the framework reads it: text ("" included; an `s:int` as its canonical decimal text,
 * an `s:boolean` as `true`/`false`), null (SOAP nil, or a parameter left out), a complex value, or an
 * array's items.
 */
export type ParamValue = string | null | ComplexValue | readonly ParamValue[]

/**
 * Parameter values by declared name (GET/POST cannot express null: a missing parameter is an error before
 * the handler runs). `V` is what the service's parameters can hold: plain text and nil by default; a
 * service with complex parameters declares `ParamValue`.
 */
export type Params<V extends ParamValue = string | null> = Readonly<Record<string, V>>

export interface CallInfo {
  readonly binding: Binding
  readonly operation: string
}

/** A handler answers an element, or throws SoapFaultError (fault.ts) for a SOAP fault. */
export type OperationHandler<C, V extends ParamValue = string | null> = (ctx: C, params: Params<V>) => XmlElement

/** What one operation call came to: a result element or a fault. */
export type OperationOutcome = { readonly kind: 'result'; readonly element: XmlElement } | { readonly kind: 'fault'; readonly fault: SoapFault }

export function soapAction(service: ServiceSpec, operation: string): string {
  return `${service.namespace}${operation}`
}

export const paramType = (op: OperationSpec, name: string): XsdType => op.paramTypes?.[name] ?? 's:string'

/** The service's own type a `tns:` reference names (undefined for built-ins and unknown names). */
export const schemaTypeOf = (service: ServiceSpec, type: XsdType): SchemaType | undefined =>
  type.startsWith('tns:') ? service.types?.find((t) => t.name === type.slice(4)) : undefined

/** Complex and array types are read into nested values (and cannot travel over GET/POST). */
export function isStructured(service: ServiceSpec, type: XsdType): boolean {
  const kind = schemaTypeOf(service, type)?.kind
  return kind === 'complex' || kind === 'array'
}

export const isComplexValue = (value: ParamValue | undefined): value is ComplexValue => typeof value === 'object' && value !== null && !Array.isArray(value)

export const httpProtocolsEnabled = (service: ServiceSpec): boolean => service.httpProtocols !== false

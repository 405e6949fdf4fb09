/**
 * XmlSerializer's reading of one value by its schema type, from the element that carries it: text for
 * strings (a child element is a read error), `s:int` and `s:boolean` through XmlConvert, a complex type's
 * fields matched by local name in the service namespace in any order (first occurrence wins, unknown
 * elements ignored, left out absent, nil null), an array's items by item name, an enumeration's value by its
 * exact name (XmlSerializer's generated reader switches on the text, untrimmed). A bad value is ASMX's
 * "Server was unable to read request." fault, raised before the operation runs.
 */
import { childElements, textContent, type XNode } from './soap-reader.ts'
import type { SoapFault } from './soap-writer.ts'
import { schemaTypeOf, type ParamValue, type ServiceSpec, type XsdType } from './types.ts'
import { toBoolean, toInt32 } from './xml-convert.ts'

const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance'

export type ValueRead = { readonly ok: true; readonly value: ParamValue } | { readonly ok: false; readonly fault: SoapFault }

export function isNil(node: XNode): boolean {
  return node.attrs.some((a) => a.ns === XSI_NS && a.local === 'nil' && (a.value.trim() === 'true' || a.value.trim() === '1'))
}

export const unableToRead = (node: XNode, inner?: string): SoapFault => ({
  code: 'Client',
  reason: `Server was unable to read request. ---> There is an error in XML document (${node.line}, ${node.column}).${inner === undefined ? '' : ` ---> ${inner}`}`,
  status: 500,
})

function readScalar(type: XsdType, node: XNode): ValueRead {
  const nested = childElements(node)[0]
  if (nested !== undefined) return { ok: false, fault: unableToRead(nested) }
  const text = textContent(node)
  const converted = type === 's:int' ? toInt32(text) : type === 's:boolean' ? toBoolean(text) : { ok: true as const, value: text }
  return converted.ok ? converted : { ok: false, fault: unableToRead(node, converted.message) }
}

function readComplex(service: ServiceSpec, fields: ReadonlyArray<readonly [string, XsdType]>, node: XNode): ValueRead {
  const value: Record<string, ParamValue> = {}
  for (const child of childElements(node)) {
    const field = child.ns === service.namespace ? fields.find(([name]) => name === child.local) : undefined
    if (field === undefined || Object.hasOwn(value, child.local)) continue
    const read = readElement(service, field[1], child)
    if (!read.ok) return read
    value[child.local] = read.value
  }
  return { ok: true, value }
}

function readArray(service: ServiceSpec, item: string, itemType: XsdType, node: XNode): ValueRead {
  const items: ParamValue[] = []
  for (const child of childElements(node)) {
    if (child.ns !== service.namespace || child.local !== item) continue
    const read = readElement(service, itemType, child)
    if (!read.ok) return read
    items.push(read.value)
  }
  return { ok: true, value: items }
}

/** XmlSerializationReader.CreateUnknownConstantException's message. */
export const unknownConstant = (text: string, enumName: string): string => `Instance validation error: '${text}' is not a valid value for ${enumName}.`

function readEnum(name: string, values: readonly string[], node: XNode): ValueRead {
  const nested = childElements(node)[0]
  if (nested !== undefined) return { ok: false, fault: unableToRead(nested) }
  const text = textContent(node)
  return values.includes(text) ? { ok: true, value: text } : { ok: false, fault: unableToRead(node, unknownConstant(text, name)) }
}

/** The value `node` carries as a `type`: null when it is nil. */
export function readElement(service: ServiceSpec, type: XsdType, node: XNode): ValueRead {
  if (isNil(node)) return { ok: true, value: null }
  const own = schemaTypeOf(service, type)
  if (own?.kind === 'enum') return readEnum(own.name, own.values, node)
  if (own?.kind === 'complex') return readComplex(service, own.fields, node)
  if (own?.kind === 'array') return readArray(service, own.item, own.itemType, node)
  return readScalar(type, node)
}

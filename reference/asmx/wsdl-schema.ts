/**
 * The `<s:schema>` of an ASMX WSDL: one wrapper element per operation and its response, then the service's
 * own types. As XmlSerializer exports them: reference types (strings, complex types, arrays) are
 * `minOccurs="0"`, value types (ints, booleans, dates, enumerations) `minOccurs="1"`; an XmlNode result is
 * `complexType mixed` with `<s:any />`; an array type is a sequence of unbounded items, nillable when the
 * item is a reference type.
 */
import { typeRootName } from './typed-return.ts'
import { httpProtocolsEnabled, paramType, type OperationSpec, type SchemaType, type ServiceSpec, type XsdType } from './types.ts'
import { escapeAttr } from './xml.ts'

const indent = (depth: number, line: string): string => `${'  '.repeat(depth)}${line}`

function isValueType(service: ServiceSpec, type: XsdType): boolean {
  if (type === 's:string') return false
  if (!type.startsWith('tns:')) return true
  return service.types?.find((t) => `tns:${t.name}` === type)?.kind === 'enum'
}

function typedElement(service: ServiceSpec, depth: number, name: string, type: XsdType): string {
  const min = isValueType(service, type) ? '1' : '0'
  return indent(depth, `<s:element minOccurs="${min}" maxOccurs="1" name="${escapeAttr(name)}" type="${type}" />`)
}

function arrayItem(service: ServiceSpec, depth: number, name: string, type: XsdType): string {
  const nillable = isValueType(service, type) ? '' : ' nillable="true"'
  return indent(depth, `<s:element minOccurs="0" maxOccurs="unbounded" name="${escapeAttr(name)}"${nillable} type="${type}" />`)
}

function sequence(depth: number, name: string, elements: string[]): string[] {
  if (elements.length === 0) return [indent(depth, `<s:element name="${name}">`), indent(depth + 1, '<s:complexType />'), indent(depth, '</s:element>')]
  return [
    indent(depth, `<s:element name="${name}">`),
    indent(depth + 1, '<s:complexType>'),
    indent(depth + 2, '<s:sequence>'),
    ...elements,
    indent(depth + 2, '</s:sequence>'),
    indent(depth + 1, '</s:complexType>'),
    indent(depth, '</s:element>'),
  ]
}

const ANY_RESULT = (name: string): string[] => [
  indent(5, `<s:element minOccurs="0" maxOccurs="1" name="${name}">`),
  indent(6, '<s:complexType mixed="true">'),
  indent(7, '<s:sequence>'),
  indent(8, '<s:any />'),
  indent(7, '</s:sequence>'),
  indent(6, '</s:complexType>'),
  indent(5, '</s:element>'),
]

function operationElements(service: ServiceSpec, op: OperationSpec): string[] {
  const params = op.params.map((p) => typedElement(service, 5, p, paramType(op, p)))
  const resultName = `${op.name}Result`
  const result = op.result === undefined ? ANY_RESULT(resultName) : [typedElement(service, 5, resultName, op.result)]
  return [...sequence(2, op.name, params), ...sequence(2, `${op.name}Response`, result)]
}

function schemaType(service: ServiceSpec, type: SchemaType): string[] {
  if (type.kind === 'enum') {
    return [
      indent(2, `<s:simpleType name="${type.name}">`),
      indent(3, '<s:restriction base="s:string">'),
      ...type.values.map((v) => indent(4, `<s:enumeration value="${escapeAttr(v)}" />`)),
      indent(3, '</s:restriction>'),
      indent(2, '</s:simpleType>'),
    ]
  }
  const elements =
    type.kind === 'array'
      ? [arrayItem(service, 4, type.item, type.itemType)]
      : type.fields.map(([name, fieldType]) => typedElement(service, 4, name, fieldType))
  return [indent(2, `<s:complexType name="${type.name}">`), indent(3, '<s:sequence>'), ...elements, indent(3, '</s:sequence>'), indent(2, '</s:complexType>')]
}

/**
 * With HttpGet/HttpPost enabled, each typed result's type also gets a global element, the root of those protocols'
 * answers (`<s:element name="boolean" type="s:boolean" />`), nillable for reference types; once per type.
 */
function returnElements(service: ServiceSpec): string[] {
  if (!httpProtocolsEnabled(service)) return []
  const types = [...new Set(service.operations.flatMap((op) => (op.result === undefined ? [] : [op.result])))]
  return types.map((type) => {
    const nillable = isValueType(service, type) ? '' : ' nillable="true"'
    return indent(2, `<s:element name="${escapeAttr(typeRootName(type))}"${nillable} type="${type}" />`)
  })
}

/** The `<wsdl:types>` section, indented for its place in the document. */
export function schemaSection(service: ServiceSpec): string[] {
  const ns = escapeAttr(service.namespace)
  const body = [
    ...service.operations.flatMap((op) => operationElements(service, op)),
    ...(service.types ?? []).flatMap((t) => schemaType(service, t)),
    ...returnElements(service),
  ]
  return [
    indent(1, '<wsdl:types>'),
    indent(2, `<s:schema elementFormDefault="qualified" targetNamespace="${ns}">`),
    ...body.map((line) => `    ${line}`),
    indent(2, '</s:schema>'),
    indent(1, '</wsdl:types>'),
  ]
}

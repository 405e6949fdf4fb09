/**
 * The WSDL 1.1 that ASMX generates: a qualified schema (wsdl-schema.ts), SoapIn/SoapOut messages and, when
 * the HttpGet/HttpPost protocols are enabled, their messages (string parts, a `Body` answer), port types
 * and bindings; one service whose ports point at the address the client used.
 */
import { typeRootName } from './typed-return.ts'
import { httpProtocolsEnabled, soapAction, type OperationSpec, type ServiceSpec } from './types.ts'
import { schemaSection } from './wsdl-schema.ts'
import { XML_DECLARATION, escapeAttr } from './xml.ts'

const NAMESPACES = [
  ['soap', 'http://schemas.xmlsoap.org/wsdl/soap/'],
  ['tm', 'http://microsoft.com/wsdl/mime/textMatching/'],
  ['soapenc', 'http://schemas.xmlsoap.org/soap/encoding/'],
  ['mime', 'http://schemas.xmlsoap.org/wsdl/mime/'],
  ['tns', ''], // the service namespace
  ['s', 'http://www.w3.org/2001/XMLSchema'],
  ['soap12', 'http://schemas.xmlsoap.org/wsdl/soap12/'],
  ['http', 'http://schemas.xmlsoap.org/wsdl/http/'],
] as const

const indent = (depth: number, line: string): string => `${'  '.repeat(depth)}${line}`

function messages(op: OperationSpec, withHttp: boolean): string[] {
  const httpParts = op.params.map((p) => indent(2, `<wsdl:part name="${escapeAttr(p)}" type="s:string" />`))
  const message = (name: string, parts: string[]): string[] => [indent(1, `<wsdl:message name="${name}">`), ...parts, indent(1, '</wsdl:message>')]
  const soap = [
    ...message(`${op.name}SoapIn`, [indent(2, `<wsdl:part name="parameters" element="tns:${op.name}" />`)]),
    ...message(`${op.name}SoapOut`, [indent(2, `<wsdl:part name="parameters" element="tns:${op.name}Response" />`)]),
  ]
  if (!withHttp) return soap
  // A typed result's answer is the global element of its type (wsdl-schema.ts); an XmlNode result has no element.
  const body = indent(
    2,
    op.result === undefined ? '<wsdl:part name="Body" />' : `<wsdl:part name="Body" element="tns:${escapeAttr(typeRootName(op.result))}" />`,
  )
  return [
    ...soap,
    ...message(`${op.name}HttpGetIn`, httpParts),
    ...message(`${op.name}HttpGetOut`, [body]),
    ...message(`${op.name}HttpPostIn`, httpParts),
    ...message(`${op.name}HttpPostOut`, [body]),
  ]
}

function portType(service: ServiceSpec, suffix: string, msgIn: string, msgOut: string): string[] {
  return [
    indent(1, `<wsdl:portType name="${service.name}${suffix}">`),
    ...service.operations.flatMap((op) => [
      indent(2, `<wsdl:operation name="${op.name}">`),
      indent(3, `<wsdl:input message="tns:${op.name}${msgIn}" />`),
      indent(3, `<wsdl:output message="tns:${op.name}${msgOut}" />`),
      indent(2, '</wsdl:operation>'),
    ]),
    indent(1, '</wsdl:portType>'),
  ]
}

function soapBinding(service: ServiceSpec, prefix: 'soap' | 'soap12', suffix: string): string[] {
  return [
    indent(1, `<wsdl:binding name="${service.name}${suffix}" type="tns:${service.name}Soap">`),
    indent(2, `<${prefix}:binding transport="http://schemas.xmlsoap.org/soap/http" />`),
    ...service.operations.flatMap((op) => [
      indent(2, `<wsdl:operation name="${op.name}">`),
      indent(3, `<${prefix}:operation soapAction="${escapeAttr(soapAction(service, op.name))}" style="document" />`),
      indent(3, '<wsdl:input>'),
      indent(4, `<${prefix}:body use="literal" />`),
      indent(3, '</wsdl:input>'),
      indent(3, '<wsdl:output>'),
      indent(4, `<${prefix}:body use="literal" />`),
      indent(3, '</wsdl:output>'),
      indent(2, '</wsdl:operation>'),
    ]),
    indent(1, '</wsdl:binding>'),
  ]
}

function httpBinding(service: ServiceSpec, verb: 'GET' | 'POST'): string[] {
  const suffix = verb === 'GET' ? 'HttpGet' : 'HttpPost'
  const input = verb === 'GET' ? '<http:urlEncoded />' : '<mime:content type="application/x-www-form-urlencoded" />'
  return [
    indent(1, `<wsdl:binding name="${service.name}${suffix}" type="tns:${service.name}${suffix}">`),
    indent(2, `<http:binding verb="${verb}" />`),
    ...service.operations.flatMap((op) => [
      indent(2, `<wsdl:operation name="${op.name}">`),
      indent(3, `<http:operation location="/${op.name}" />`),
      indent(3, '<wsdl:input>'),
      indent(4, input),
      indent(3, '</wsdl:input>'),
      indent(3, '<wsdl:output>'),
      indent(4, '<mime:content part="Body" type="text/xml" />'),
      indent(3, '</wsdl:output>'),
      indent(2, '</wsdl:operation>'),
    ]),
    indent(1, '</wsdl:binding>'),
  ]
}

function servicePorts(service: ServiceSpec, location: string, withHttp: boolean): string[] {
  const loc = escapeAttr(location)
  const port = (suffix: string, address: string): string[] => [
    indent(2, `<wsdl:port name="${service.name}${suffix}" binding="tns:${service.name}${suffix}">`),
    indent(3, `<${address}:address location="${loc}" />`),
    indent(2, '</wsdl:port>'),
  ]
  return [
    indent(1, `<wsdl:service name="${service.name}">`),
    ...port('Soap', 'soap'),
    ...port('Soap12', 'soap12'),
    ...(withHttp ? [...port('HttpGet', 'http'), ...port('HttpPost', 'http')] : []),
    indent(1, '</wsdl:service>'),
  ]
}

/** The WSDL for `service`, with every port's address at `origin` + the service path. */
export function buildWsdl(service: ServiceSpec, origin: string): string {
  const ns = escapeAttr(service.namespace)
  const declarations = NAMESPACES.map(([prefix, uri]) => `xmlns:${prefix}="${prefix === 'tns' ? ns : uri}"`).join(' ')
  const withHttp = httpProtocolsEnabled(service)
  const lines = [
    XML_DECLARATION,
    `<wsdl:definitions ${declarations} targetNamespace="${ns}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">`,
    ...schemaSection(service),
    ...service.operations.flatMap((op) => messages(op, withHttp)),
    ...portType(service, 'Soap', 'SoapIn', 'SoapOut'),
    ...(withHttp ? [...portType(service, 'HttpGet', 'HttpGetIn', 'HttpGetOut'), ...portType(service, 'HttpPost', 'HttpPostIn', 'HttpPostOut')] : []),
    ...soapBinding(service, 'soap', 'Soap'),
    ...soapBinding(service, 'soap12', 'Soap12'),
    ...(withHttp ? [...httpBinding(service, 'GET'), ...httpBinding(service, 'POST')] : []),
    ...servicePorts(service, `${origin}${service.path}`, withHttp),
    '</wsdl:definitions>',
  ]
  return lines.join('\r\n')
}

/**
 * `POST service.asmx`: SOAP 1.1 and 1.2 as ASMX (SoapServerProtocol) handles them. The version is guessed
 * from the headers (no SOAPAction, or `application/soap+xml` → 1.2 rules), the request is routed (1.1 by the
 * SOAPAction header; 1.2 by the Content-Type `action`, else by the first body element), and the envelope's
 * namespace then fixes the real version. Version mismatches override other routing errors.
 */
import { header, type HttpAnswer, type HttpCall } from '../http/types.ts'
import { contentTypeParam, mediaType } from './content-type.ts'
import { headerFault } from './soap-headers.ts'
import { childElements, readXml, type ReadResult, type XNode } from './soap-reader.ts'
import { soapRequestText } from './soap-text.ts'
import { SOAP11_NS, SOAP12_NS, SOAP_VERSIONS, type SoapFault, type SoapVersion } from './soap-writer.ts'
import { paramType, soapAction, type OperationSpec, type ParamValue, type Params, type ServiceSpec } from './types.ts'
import { aspNetUrlDecode } from './url-decode.ts'
import { readElement } from './value-reader.ts'
import type { Endpoint } from './endpoint.ts'
const BAD_REQUEST: HttpAnswer = { status: 400, body: '' }

type Route =
  | { readonly kind: 'op'; readonly op: OperationSpec }
  | { readonly kind: 'fault'; readonly fault: SoapFault; readonly envelopeNs?: string }
  | { readonly kind: 'malformed' }

const clientFault = (reason: string, status = 500): SoapFault => ({ code: 'Client', reason, status })

const MISSING_ENVELOPE = clientFault('Request format is invalid: Missing required soap:Envelope element.')
const MISSING_BODY = clientFault('Request format is invalid: Missing required soap:Body element.')

function mismatchFault(requestNs: string): SoapFault {
  return {
    code: 'VersionMismatch',
    reason: `Possible SOAP version mismatch: Envelope namespace ${requestNs} was unexpected. Expecting ${SOAP11_NS}.`,
    status: 500,
    upgrade: true,
  }
}

function versionOf(envelopeNs: string): SoapVersion | undefined {
  if (envelopeNs === SOAP11_NS) return '1.1'
  if (envelopeNs === SOAP12_NS) return '1.2'
  return undefined
}

function findByAction(service: ServiceSpec, action: string): OperationSpec | undefined {
  return service.operations.find((op) => soapAction(service, op.name) === action)
}

function routeSoap11(service: ServiceSpec, rawAction: string): Route {
  const unquoted = rawAction.length >= 2 && rawAction.startsWith('"') && rawAction.endsWith('"') ? rawAction.slice(1, -1) : rawAction
  const action = aspNetUrlDecode(unquoted)
  const op = findByAction(service, action)
  if (op) return { kind: 'op', op }
  return { kind: 'fault', fault: clientFault(`Server did not recognize the value of HTTP Header SOAPAction: ${action}.`) }
}

/** The Body element of an envelope in any namespace (GetRequestElement ignores the version here). */
function bodyOf(root: XNode): XNode | undefined {
  return childElements(root).find((c) => c.local === 'Body' && c.ns === root.ns)
}

function routeSoap12(service: ServiceSpec, contentType: string, readDoc: () => ReadResult): Route {
  const rawAction = contentTypeParam(contentType, 'action')
  const action = rawAction === undefined || rawAction === '' ? undefined : aspNetUrlDecode(rawAction)
  if (action !== undefined) {
    const op = findByAction(service, action)
    if (op) return { kind: 'op', op }
  }
  const doc = readDoc()
  if (!doc.ok) return { kind: 'malformed' }
  const envelopeNs = doc.root.ns
  if (doc.root.local !== 'Envelope') return { kind: 'fault', fault: MISSING_ENVELOPE, envelopeNs }
  const body = bodyOf(doc.root)
  if (body === undefined) return { kind: 'fault', fault: MISSING_BODY, envelopeNs }
  const first = childElements(body)[0]
  const op = first && first.ns === service.namespace ? service.operations.find((o) => o.name === first.local) : undefined
  if (op) return { kind: 'op', op }
  const reason =
    action === undefined
      ? 'Unable to handle request without a valid action parameter. Please supply a valid soap action.'
      : `Unable to handle request. The action '${action}' was not recognized.`
  return { kind: 'fault', fault: { code: 'Client', reason, status: 500 }, envelopeNs }
}

type ParamsRead = { readonly ok: true; readonly params: Params<ParamValue> } | { readonly ok: false; readonly fault: SoapFault }

/**
 * XmlSerializer's reading of a wrapped document/literal request: first occurrence wins, others are skipped;
 * nil or left out is null (a value type then reads as its default, which the handler decides).
 */
function readSoapParams(service: ServiceSpec, op: OperationSpec, body: XNode): ParamsRead {
  const params: Record<string, ParamValue> = Object.fromEntries(op.params.map((name) => [name, null]))
  const request = childElements(body)[0]
  if (request === undefined || request.local !== op.name || request.ns !== service.namespace) return { ok: true, params }
  const seen = new Set<string>()
  for (const child of childElements(request)) {
    if (child.ns !== service.namespace || !op.params.includes(child.local) || seen.has(child.local)) continue
    seen.add(child.local)
    const read = readElement(service, paramType(op, child.local), child)
    if (!read.ok) return read
    params[child.local] = read.value
  }
  return { ok: true, params }
}

export function handleSoap(call: HttpCall, endpoint: Endpoint): HttpAnswer {
  const { service, stages } = endpoint
  const contentType = header(call, 'content-type') ?? ''
  const action = header(call, 'soapaction')
  const guessed: SoapVersion = action === undefined || mediaType(contentType) === 'application/soap+xml' ? '1.2' : '1.1'
  let doc: ReadResult | undefined
  const readDoc = (): ReadResult => {
    if (doc !== undefined) return doc
    const text = soapRequestText(call.body, contentType)
    return (doc = text.ok ? readXml(text.text) : { ok: false })
  }
  const fault = (version: SoapVersion, f: SoapFault): HttpAnswer => stages.writeSoap(version, { kind: 'fault', fault: f })

  const route = guessed === '1.1' ? routeSoap11(service, action ?? '') : routeSoap12(service, contentType, readDoc)
  if (route.kind === 'malformed') return BAD_REQUEST
  if (route.kind === 'fault') {
    if (route.envelopeNs === undefined) return fault(guessed, route.fault)
    const real = versionOf(route.envelopeNs)
    return real === undefined ? fault('1.1', mismatchFault(route.envelopeNs)) : fault(real, route.fault)
  }

  const media = mediaType(contentType)
  if (media !== 'text/xml' && media !== 'application/soap+xml') {
    const expected = SOAP_VERSIONS[guessed].mediaType
    return fault(guessed, clientFault(`Server found request content type to be '${contentType}', but expected '${expected}'.`, 415))
  }
  const parsed = readDoc()
  if (!parsed.ok) return BAD_REQUEST
  const root = parsed.root
  const version = versionOf(root.ns)
  if (version === undefined) return fault('1.1', mismatchFault(root.ns))
  if (version === '1.1' && media !== 'text/xml') {
    return fault('1.1', clientFault(`Server found request content type to be '${contentType}', but expected 'text/xml'.`, 415))
  }
  if (root.local !== 'Envelope') return fault(version, MISSING_ENVELOPE)
  const parts = childElements(root)
  const first = parts[0]
  const headerBlock = first !== undefined && first.local === 'Header' && first.ns === root.ns ? first : undefined
  const body = headerBlock === undefined ? first : parts[1]
  if (body === undefined || body.local !== 'Body' || body.ns !== root.ns) return fault(version, MISSING_BODY)

  const read = readSoapParams(service, route.op, body)
  if (!read.ok) return fault(version, read.fault)
  // CreateServerInstance (SetHeaderMembers): after the parameters are read, before the method runs
  const notUnderstood = headerFault(headerBlock, route.op, service.namespace)
  if (notUnderstood !== undefined) return fault(version, notUnderstood)
  const binding = version === '1.1' ? 'soap11' : 'soap12'
  const typed = route.op.result !== undefined
  return endpoint.answer(route.op, read.params, binding, {
    result: (element) => stages.writeSoap(version, { kind: 'result', operation: route.op.name, namespace: service.namespace, element, typed }),
    fault: (f) => fault(version, f),
  })
}

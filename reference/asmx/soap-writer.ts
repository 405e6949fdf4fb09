/**
 * SOAP answers written the way ASMX writes them: one line, `soap` prefix, xsi and xsd declared, an XmlNode
 * result wrapped in `<OpResponse xmlns="ns"><OpResult>` and carrying `xmlns=""`, a typed result (the
 * `<OpResult>` element itself) inside `<OpResponse xmlns="ns">`; faults with `<detail />` (1.1) or
 * `<soap:Detail />` (1.2), holding the detail children an operation's SoapException carries.
 */
import type { HttpAnswer } from '../http/types.ts'
import { XML_DECLARATION, escapeText, sanitizeXmlText, serialize, withAttr, type XmlElement } from './xml.ts'

export type SoapVersion = '1.1' | '1.2'

export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/'
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope'
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance'
const XSD_NS = 'http://www.w3.org/2001/XMLSchema'

export const SOAP_VERSIONS: Readonly<Record<SoapVersion, { readonly envelopeNs: string; readonly mediaType: string }>> = {
  '1.1': { envelopeNs: SOAP11_NS, mediaType: 'text/xml' },
  '1.2': { envelopeNs: SOAP12_NS, mediaType: 'application/soap+xml' },
}

/** Fault codes in SOAP 1.1 terms; SOAP 1.2 answers translate them (Client → Sender, Server → Receiver). */
export type FaultCode = 'Client' | 'Server' | 'VersionMismatch' | 'MustUnderstand'

export interface SoapFault {
  readonly code: FaultCode
  readonly reason: string
  /** 500, or 415 for an unsupported media type. */
  readonly status: number
  /** VersionMismatch faults carry an Upgrade header naming the supported envelopes. */
  readonly upgrade?: boolean
  /** The children of `<detail>` (an operation's SoapException.Detail); none: an empty detail. */
  readonly detail?: readonly XmlElement[]
  /** A SoapHeaderException: about a header, not the body, so written without any detail element. */
  readonly header?: boolean
}

export type SoapMessage =
  | {
      readonly kind: 'result'
      readonly operation: string
      readonly namespace: string
      readonly element: XmlElement
      /** True when `element` is the typed `<OpResult>` itself (a declared result type), not an XmlNode. */
      readonly typed?: boolean
    }
  | { readonly kind: 'fault'; readonly fault: SoapFault }

/** The pipeline stage that turns a message into an HTTP answer (deviations may wrap it). */
export type SoapWriter = (version: SoapVersion, message: SoapMessage) => HttpAnswer

const SOAP12_CODES: Readonly<Record<FaultCode, string>> = {
  Client: 'Sender',
  Server: 'Receiver',
  VersionMismatch: 'VersionMismatch',
  MustUnderstand: 'MustUnderstand',
}

const UPGRADE_HEADER =
  `<soap:Header><soap12:Upgrade xmlns:soap12="${SOAP12_NS}">` +
  `<soap12:SupportedEnvelope qname="soap:Envelope" xmlns:soap="${SOAP11_NS}" />` +
  `<soap12:SupportedEnvelope qname="soap12:Envelope" xmlns:soap12="${SOAP12_NS}" />` +
  `</soap12:Upgrade></soap:Header>`

function envelope(version: SoapVersion, body: string, header = ''): string {
  const ns = SOAP_VERSIONS[version].envelopeNs
  return (
    `${XML_DECLARATION}<soap:Envelope xmlns:soap="${ns}" xmlns:xsi="${XSI_NS}" xmlns:xsd="${XSD_NS}">` +
    `${header}<soap:Body>${body}</soap:Body></soap:Envelope>`
  )
}

function detailOf(name: string, fault: SoapFault): string {
  if (fault.header === true) return ''
  const children = fault.detail ?? []
  return children.length === 0 ? `<${name} />` : `<${name}>${children.map(serialize).join('')}</${name}>`
}

function faultBody(version: SoapVersion, fault: SoapFault): string {
  const reason = escapeText(sanitizeXmlText(fault.reason))
  if (version === '1.1') {
    return `<soap:Fault><faultcode>soap:${fault.code}</faultcode>` + `<faultstring>${reason}</faultstring>${detailOf('detail', fault)}</soap:Fault>`
  }
  return (
    `<soap:Fault><soap:Code><soap:Value>soap:${SOAP12_CODES[fault.code]}</soap:Value></soap:Code>` +
    `<soap:Reason><soap:Text xml:lang="en">${reason}</soap:Text></soap:Reason>${detailOf('soap:Detail', fault)}</soap:Fault>`
  )
}

function resultBody(operation: string, namespace: string, element: XmlElement, typed: boolean): string {
  const open = `<${operation}Response xmlns="${escapeText(namespace)}">`
  if (typed) return `${open}${serialize(element)}</${operation}Response>`
  const inner = serialize(withAttr(element, 'xmlns', ''))
  return `${open}<${operation}Result>${inner}</${operation}Result></${operation}Response>`
}

export const writeSoapMessage: SoapWriter = (version, message) => {
  const contentType = `${SOAP_VERSIONS[version].mediaType}; charset=utf-8`
  if (message.kind === 'result') {
    return {
      status: 200,
      contentType,
      body: envelope(version, resultBody(message.operation, message.namespace, message.element, message.typed === true)),
    }
  }
  const header = message.fault.upgrade === true ? UPGRADE_HEADER : ''
  return { status: message.fault.status, contentType, body: envelope(version, faultBody(version, message.fault), header) }
}

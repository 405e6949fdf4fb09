/**
 * SOAP answers written the way ASMX writes them: one line, `soap` prefix, xsi and xsd declared, the result
 * element wrapped in `<OpResponse xmlns="ns"><OpResult>` and carrying `xmlns=""`; faults with `<detail />`
 * (1.1) or `<soap:Detail />` (1.2).
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
export type FaultCode = 'Client' | 'Server' | 'VersionMismatch'

export interface SoapFault {
  readonly code: FaultCode
  readonly reason: string
  /** 500, or 415 for an unsupported media type. */
  readonly status: number
  /** VersionMismatch faults carry an Upgrade header naming the supported envelopes. */
  readonly upgrade?: boolean
}

export type SoapMessage =
  | { readonly kind: 'result'; readonly operation: string; readonly namespace: string; readonly element: XmlElement }
  | { readonly kind: 'fault'; readonly fault: SoapFault }

/** The pipeline stage that turns a message into an HTTP answer (deviations may wrap it). */
export type SoapWriter = (version: SoapVersion, message: SoapMessage) => HttpAnswer

const SOAP12_CODES: Readonly<Record<FaultCode, string>> = {
  Client: 'Sender',
  Server: 'Receiver',
  VersionMismatch: 'VersionMismatch',
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

function faultBody(version: SoapVersion, fault: SoapFault): string {
  const reason = escapeText(sanitizeXmlText(fault.reason))
  if (version === '1.1') {
    return (
      `<soap:Fault><faultcode>soap:${fault.code}</faultcode>` +
      `<faultstring>${reason}</faultstring><detail /></soap:Fault>`
    )
  }
  return (
    `<soap:Fault><soap:Code><soap:Value>soap:${SOAP12_CODES[fault.code]}</soap:Value></soap:Code>` +
    `<soap:Reason><soap:Text xml:lang="en">${reason}</soap:Text></soap:Reason><soap:Detail /></soap:Fault>`
  )
}

function resultBody(operation: string, namespace: string, element: XmlElement): string {
  const inner = serialize(withAttr(element, 'xmlns', ''))
  return (
    `<${operation}Response xmlns="${escapeText(namespace)}">` +
    `<${operation}Result>${inner}</${operation}Result></${operation}Response>`
  )
}

export const writeSoapMessage: SoapWriter = (version, message) => {
  const contentType = `${SOAP_VERSIONS[version].mediaType}; charset=utf-8`
  if (message.kind === 'result') {
    return {
      status: 200,
      contentType,
      body: envelope(version, resultBody(message.operation, message.namespace, message.element)),
    }
  }
  const header = message.fault.upgrade === true ? UPGRADE_HEADER : ''
  return { status: message.fault.status, contentType, body: envelope(version, faultBody(version, message.fault), header) }
}

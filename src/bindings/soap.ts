import { XMLBuilder } from 'fast-xml-parser'
import { isNil } from '../yaml/source.ts'
import { nestParams } from '../spec/params.ts'
import { toValue } from '../xml/to-value.ts'
import { attribute, childElements, textOf, XSI_URI, type XmlElement } from '../xml/tree.ts'
import { contentTypeProblem, excerpt, parseAnswerXml } from './xml-answer.ts'
import { qnameText } from './qname.ts'
import type { Binding, BindingName, DecodeContext, EncodeInput, Outcome, WireAnswer } from './types.ts'

export const SOAP11_ENV = 'http://schemas.xmlsoap.org/soap/envelope/'
export const SOAP12_ENV = 'http://www.w3.org/2003/05/soap-envelope'

interface SoapVersion {
  name: BindingName
  envelope: string
  contentType: string
  headers(action: string): Record<string, string>
}

const V11: SoapVersion = {
  name: 'soap11',
  envelope: SOAP11_ENV,
  contentType: 'text/xml',
  headers: (action) => ({ 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action}"` }),
}
const V12: SoapVersion = {
  name: 'soap12',
  envelope: SOAP12_ENV,
  contentType: 'application/soap+xml',
  headers: (action) => ({ 'content-type': `application/soap+xml; charset=utf-8; action="${action}"` }),
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressBooleanAttributes: false,
  suppressEmptyNode: true,
})

/** The document/literal request an ASMX client writes: `<Op xmlns="ns"><param>…</param></Op>`. */
export function soapEnvelope(version: SoapVersion, input: EncodeInput): string {
  const body = { '@_xmlns': input.namespace, ...nestParams(input.params.map(([name, value]) => [name, isNil(value) ? { '@_xsi:nil': 'true' } : value])) }
  return `<?xml version="1.0" encoding="utf-8"?>${builder.build({
    'soap:Envelope': {
      '@_xmlns:soap': version.envelope,
      '@_xmlns:xsi': XSI_URI,
      '@_xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
      'soap:Body': { [input.operation]: body },
    },
  })}`
}

function child(el: XmlElement | undefined, local: string, uri?: string): XmlElement | undefined {
  return el ? childElements(el).find((c) => c.local === local && (uri === undefined || c.uri === uri)) : undefined
}

/**
 * A fault's code as a resolved QName (see qname.ts): `soap:Client` whatever prefix the answer bound the envelope
 * namespace to. SOAP 1.2 subcodes (Code/Subcode/Value, nested) refine the code and come as `subcodes`.
 */
function decodeFault(path: readonly XmlElement[], env: string): { code: string; subcodes?: string[]; reason: string; detail: unknown } {
  const fault = path[path.length - 1]!
  if (env === SOAP12_ENV) {
    const code = child(fault, 'Code', env)
    const value = child(code, 'Value', env)
    const subcodes: string[] = []
    let at: XmlElement[] = [...path, ...(code ? [code] : [])]
    for (let sub = child(code, 'Subcode', env); sub && subcodes.length < 10; sub = child(sub, 'Subcode', env)) {
      at = [...at, sub]
      const v = child(sub, 'Value', env)
      if (v) subcodes.push(qnameText([...at, v], env))
    }
    const text = child(child(fault, 'Reason', env), 'Text', env)
    const detail = child(fault, 'Detail', env)
    return {
      code: value && code ? qnameText([...path, code, value], env) : '',
      ...(subcodes.length ? { subcodes } : {}),
      reason: text ? textOf(text) : '',
      detail: detail ? toValue(detail) : null,
    }
  }
  const code = child(fault, 'faultcode')
  const reason = child(fault, 'faultstring')
  const detail = child(fault, 'detail')
  return { code: code ? qnameText([...path, code], env) : '', reason: reason ? textOf(reason) : '', detail: detail ? toValue(detail) : null }
}

function decodeSoap(version: SoapVersion, answer: WireAnswer, ctx: DecodeContext): Outcome {
  const contentType = answer.headers['content-type'] ?? ''
  const base = { status: answer.status, contentType, problems: [] as Outcome['problems'] }
  if (answer.body.trim() === '') return { ...base, kind: 'http-error', text: '' }
  const ct = contentTypeProblem(answer, version.contentType, ctx.wireBehaviours)
  const parsed = parseAnswerXml(answer.body)
  if (!parsed.ok) {
    // A 200 that is not XML at all (an HTML error page): its content type says so first.
    if (ct && answer.status === 200) base.problems.push(ct)
    base.problems.push(parsed.problem)
    if (answer.status !== 200 && !contentType.includes('xml')) return { ...base, kind: 'http-error', text: answer.body.trim() }
    return { ...base, kind: 'undecodable', reason: parsed.problem.message }
  }
  const root = parsed.root
  if (root.local !== 'Envelope' || (root.uri !== SOAP11_ENV && root.uri !== SOAP12_ENV)) {
    if (ct) base.problems.push(ct)
    return { ...base, kind: 'undecodable', reason: `expected a SOAP Envelope, got <${root.local}>: ${excerpt(answer.body)}` }
  }
  if (ct) base.problems.push(ct)
  if (root.uri !== version.envelope) {
    base.problems.push({
      behaviours: ['X-1', ...(ctx.wireBehaviours ?? [])],
      code: 'ENVELOPE_VERSION',
      message: `a ${version.name} request was answered in the envelope namespace ${root.uri}, expected ${version.envelope}`,
    })
  }
  const body = child(root, 'Body', root.uri)
  const first = body ? childElements(body)[0] : undefined
  if (!first) return { ...base, kind: 'undecodable', reason: 'the SOAP Body is empty or missing' }
  if (first.local === 'Fault' && first.uri === root.uri) {
    if (answer.status !== 500 && answer.status !== 400 && answer.status !== 415) {
      base.problems.push({
        behaviours: ['X-1', ...(ctx.wireBehaviours ?? [])],
        code: 'FAULT_STATUS',
        message: `a SOAP fault came with HTTP ${answer.status}, ASMX sends faults with 500`,
      })
    }
    return { ...base, kind: 'fault', ...decodeFault([root, body!, first], root.uri) }
  }
  if (first.local !== `${ctx.operation}Response` || first.uri !== ctx.namespace) {
    return { ...base, kind: 'undecodable', reason: `expected <${ctx.operation}Response xmlns="${ctx.namespace}">, got <${first.local} xmlns="${first.uri}">` }
  }
  if (answer.status !== 200) {
    base.problems.push({
      behaviours: ['X-1', ...(ctx.wireBehaviours ?? [])],
      code: 'ANSWER_STATUS',
      message: `a SOAP answer came with HTTP ${answer.status}, expected 200`,
    })
  }
  const result = child(first, `${ctx.operation}Result`)
  if (!result) return { ...base, kind: 'answer', value: null }
  if (!ctx.answerElement) return { ...base, kind: 'answer', value: toValue(result) }
  const inner = child(result, ctx.answerElement)
  if (!inner) {
    return { ...base, kind: 'undecodable', reason: `expected <${ctx.answerElement}> inside <${ctx.operation}Result>, got ${excerpt(answer.body)}` }
  }
  if (attribute(inner, 'nil', XSI_URI) === 'true') return { ...base, kind: 'answer', value: null }
  return { ...base, kind: 'answer', value: toValue(inner) }
}

function soapBinding(version: SoapVersion): Binding {
  return {
    name: version.name,
    canSendNil: true,
    contentType: version.contentType,
    encode(input) {
      const action = input.soapAction ?? `${input.namespace}${input.operation}`
      return { method: 'POST', url: `${input.baseUrl}${input.path}`, headers: version.headers(action), body: soapEnvelope(version, input) }
    },
    decode: (answer, ctx) => decodeSoap(version, answer, ctx),
  }
}

export const soap11 = soapBinding(V11)
export const soap12 = soapBinding(V12)

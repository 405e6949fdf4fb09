/** The wrappers variations are made of: rewrites of the XML and JSON answers, and of every HTTP answer of an API. */
import { mediaType } from '../asmx/content-type.ts'
import type { Around, HttpXmlWriter } from '../asmx/pipeline.ts'
import type { SoapWriter } from '../asmx/soap-writer.ts'
import type { OperationHandler, ParamValue } from '../asmx/types.ts'
import type { XmlElement } from '../asmx/xml.ts'
import type { HttpAnswer, HttpCall, Mount } from '../http/types.ts'
import type { JsonWriter } from '../rest/pipeline.ts'
import { jsonText, type JsonStyle } from './json-text.ts'
import type { HttpWrap, VariationWraps } from './types.ts'
import { parseDoc, writeDoc, type WriteStyle } from './xml-doc.ts'
import type { Rewrite } from './xml-rewrites.ts'

/** An ASMX wrap that does not depend on the service's context: it fits every SOAP API. */
export type SharedAsmxWrap =
  | { readonly layer: 'soap-answer'; readonly around: Around<SoapWriter> }
  | { readonly layer: 'http-xml-answer'; readonly around: Around<HttpXmlWriter> }

/** The same wraps for the three ASMX services (infoRouter, ECGridOS, LogicMelon). */
export const onAsmxApis = (wraps: readonly SharedAsmxWrap[]): VariationWraps => ({ inforouter: wraps, ecgridos: wraps, logicmelon: wraps })

/** The answer's XML body rewritten and respelled; a body that is not one well-formed element stays as it is. */
function rewriteXml(answer: HttpAnswer, rewrites: readonly Rewrite[], style: WriteStyle = {}): HttpAnswer {
  if (typeof answer.body !== 'string' || answer.body === '') return answer
  const doc = parseDoc(answer.body)
  if (doc === undefined) return answer
  const root = rewrites.reduce((r, f) => f(r), doc.root)
  return { ...answer, body: writeDoc({ ...doc, root }, style) }
}

/** Over SOAP answers (results and faults). */
export const soapAnswers = (rewrites: readonly Rewrite[], style?: WriteStyle): SharedAsmxWrap => ({
  layer: 'soap-answer',
  around: (next) => (version, message) => rewriteXml(next(version, message), rewrites, style),
})

/** Over HTTP GET/POST XML answers. */
const httpXmlAnswers = (rewrites: readonly Rewrite[], style?: WriteStyle): SharedAsmxWrap => ({
  layer: 'http-xml-answer',
  around: (next) => (element) => rewriteXml(next(element), rewrites, style),
})

/** Over every XML answer of the ASMX services: SOAP and GET/POST. */
export const xmlAnswers = (rewrites: readonly Rewrite[], style?: WriteStyle): VariationWraps =>
  onAsmxApis([soapAnswers(rewrites, style), httpXmlAnswers(rewrites, style)])

/** REST answers written in another JSON spelling of the same value. */
export const jsonAnswers = (style: JsonStyle): { readonly layer: 'json-answer'; readonly around: Around<JsonWriter> } => ({
  layer: 'json-answer',
  around: (next) => (answer) => ({ ...next(answer), body: jsonText(answer.body, style) }),
})

export const httpAnswers = (f: (answer: HttpAnswer, call: HttpCall) => HttpAnswer): HttpWrap => ({
  layer: 'http-answer',
  around: (next) => async (call) => f(await next(call), call),
})

const isXmlMedia = (type: string): boolean => type === 'text/xml' || type === 'application/xml' || type.endsWith('+xml')

/** Whether the answer is XML (SOAP, GET/POST results, WSDL) or JSON: the answers whose charset is UTF-8 by rule. */
export const isXmlAnswer = (answer: HttpAnswer): boolean => isXmlMedia(mediaType(answer.contentType ?? ''))
const isJsonAnswer = (answer: HttpAnswer): boolean => mediaType(answer.contentType ?? '') === 'application/json'

/** The Content-Type of XML and JSON answers respelled by `f` (the media type and its parameters). */
export const contentTypeOf = (f: (contentType: string) => string): HttpWrap =>
  httpAnswers((answer) =>
    answer.contentType !== undefined && (isXmlAnswer(answer) || isJsonAnswer(answer)) ? { ...answer, contentType: f(answer.contentType) } : answer,
  )

/** A mount whose answers go through the wraps (the last given is the outermost). */
export function wrapMount(mount: Mount, wraps: readonly HttpWrap[]): Mount {
  if (wraps.length === 0) return mount
  const handle = wraps.reduce(
    (h, w) => w.around(h),
    (call: HttpCall) => mount.handle(call),
  )
  return { ...mount, matches: (path) => mount.matches(path), handle, ...(mount.tooLarge ? { tooLarge: () => mount.tooLarge!() } : {}) }
}

/** An operation wrap that rewrites the answer element of a successful call. */
export const answerMapped =
  <C, V extends ParamValue>(f: (answer: XmlElement) => XmlElement): Around<OperationHandler<C, V>> =>
  (next) =>
  (ctx, params) =>
    f(next(ctx, params))

/** A copy with `f` applied to every element, children first. */
export function mapDeep(element: XmlElement, f: (element: XmlElement) => XmlElement): XmlElement {
  return f({ ...element, children: element.children.map((c) => mapDeep(c, f)) })
}

/** `+000` before a decimal: the same xs:int (an optional sign and leading zeros are in its lexical space). */
export const signedZeroPadded = (text: string): string => (/^\d+$/.test(text) ? `+000${text}` : text)

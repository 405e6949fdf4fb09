/**
 * Deviations that put something into an answer's HTTP headers (a cookie, a debug header): the operation knows the
 * value, the answer writers set the headers. An operation marks its answer element with the header (`withHeader`);
 * the writers' wraps (`HEADER_WRITES`) take the mark off before writing and set the header on what they wrote. An
 * ASMX answer is handled and written in one synchronous call (endpoint.ts `answer`), so a mark never outlives it.
 */
import type { AsmxWrap } from '../asmx/pipeline.ts'
import type { SoapMessage } from '../asmx/soap-writer.ts'
import type { ParamValue } from '../asmx/types.ts'
import { attrText, type XmlElement } from '../asmx/xml.ts'
import type { HttpAnswer } from '../http/types.ts'
import type { EnvelopeWriter, JsonWriter, RestWrap } from '../rest/pipeline.ts'
import type { RestHandler } from '../rest/types.ts'

/** Not an XML name a service writes: the writers below always take it off. */
const MARK = 'deviation-header'

/** The element, marked to be answered with the header `name: value`. */
export function withHeader(element: XmlElement, name: string, value: string): XmlElement {
  return { ...element, attrs: [...element.attrs, [MARK, `${name}\n${value}`]] }
}

function unmark(element: XmlElement): { element: XmlElement; headers: Record<string, string> } {
  const headers: Record<string, string> = {}
  for (const [name, value] of element.attrs) {
    if (name !== MARK) continue
    const [header = '', ...rest] = (attrText(value) ?? '').split('\n')
    headers[header] = rest.join('\n')
  }
  return Object.keys(headers).length ? { element: { ...element, attrs: element.attrs.filter(([name]) => name !== MARK) }, headers } : { element, headers }
}

const withHeaders = (answer: HttpAnswer, headers: Record<string, string>): HttpAnswer =>
  Object.keys(headers).length ? { ...answer, headers: { ...answer.headers, ...headers } } : answer

/** The writers' half: every GET/POST and SOAP answer of the service sets the headers its element was marked with. */
export function headerWrites<C, V extends ParamValue = string | null>(): AsmxWrap<C, V>[] {
  return [
    {
      layer: 'http-xml-answer',
      around: (next) => (element) => {
        const { element: clean, headers } = unmark(element)
        return withHeaders(next(clean), headers)
      },
    },
    {
      layer: 'soap-answer',
      around: (next) => (version, message: SoapMessage) => {
        if (message.kind !== 'result') return next(version, message)
        const { element, headers } = unmark(message.element)
        return withHeaders(next(version, { ...message, element }), headers)
      },
    },
  ]
}

/** Where a REST result carries its headers from the handler to the JSON writer (the envelope and answer drop extras). */
const HEADERS = Symbol('deviation headers')
type WithHeaders = { [HEADERS]?: Record<string, string> }

/**
 * The REST form: `headersOf(request, result)` names the headers of a call's answer; the envelope and JSON writers
 * carry them to the HTTP answer.
 */
export function restHeaders<C, D>(
  operations: readonly string[],
  headersOf: (request: Parameters<RestHandler<C, D>>[1]) => Record<string, string>,
): RestWrap<C, D>[] {
  const envelope =
    (next: EnvelopeWriter): EnvelopeWriter =>
    (result) => {
      const headers = (result as WithHeaders)[HEADERS]
      const answer = next(result)
      return headers ? Object.assign({ ...answer }, { [HEADERS]: headers }) : answer
    }
  const json =
    (next: JsonWriter): JsonWriter =>
    (answer) =>
      withHeaders(next(answer), (answer as WithHeaders)[HEADERS] ?? {})
  return [
    { layer: 'operation', operations, around: (next) => (ctx, request) => Object.assign({ ...next(ctx, request) }, { [HEADERS]: headersOf(request) }) },
    { layer: 'envelope', around: envelope },
    { layer: 'json-answer', around: json },
  ]
}

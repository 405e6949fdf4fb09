import { isNil } from '../yaml/source.ts'
import { toValue } from '../xml/to-value.ts'
import { contentTypeProblem, excerpt, parseAnswerXml } from './xml-answer.ts'
import { mediaType, type Binding, type DecodeContext, type EncodeInput, type Outcome, type WireAnswer } from './types.ts'

/** ASMX's HTTP GET (query string) and HTTP POST (form body) bindings: answers are bare XML elements. */
function formEncode(params: EncodeInput['params']): string {
  return params
    .map(([name, value]) => {
      if (isNil(value)) throw new Error(`parameter ${name}: nil cannot be sent over HTTP GET/POST`)
      return `${encodeURIComponent(name)}=${encodeURIComponent(value)}`
    })
    .join('&')
}

function decodeFormAnswer(answer: WireAnswer, ctx: DecodeContext): Outcome {
  const contentType = answer.headers['content-type'] ?? ''
  const base = { status: answer.status, contentType, problems: [] as Outcome['problems'] }
  const media = mediaType(contentType)
  if (answer.status !== 200) {
    if (media.includes('xml')) {
      const parsed = parseAnswerXml(answer.body)
      if (!parsed.ok) base.problems.push(parsed.problem)
    }
    return { ...base, kind: 'http-error', text: answer.body.trim() }
  }
  const ct = contentTypeProblem(answer, 'text/xml', ctx.wireBehaviours)
  if (ct) base.problems.push(ct)
  const parsed = parseAnswerXml(answer.body)
  if (!parsed.ok) {
    base.problems.push(parsed.problem)
    return { ...base, kind: 'undecodable', reason: parsed.problem.message }
  }
  const expected = ctx.httpElement ?? ctx.answerElement ?? ctx.operation
  if (parsed.root.local !== expected) {
    return { ...base, kind: 'undecodable', reason: `expected a <${expected}> element, got <${parsed.root.local}>: ${excerpt(answer.body)}` }
  }
  return { ...base, kind: 'answer', value: toValue(parsed.root) }
}

export const httpGet: Binding = {
  name: 'http-get',
  canSendNil: false,
  contentType: 'text/xml',
  encode(input) {
    const query = formEncode(input.params)
    return { method: 'GET', url: `${input.baseUrl}${input.path}${query ? `?${query}` : ''}`, headers: {} }
  },
  decode: decodeFormAnswer,
}

export const httpPost: Binding = {
  name: 'http-post',
  canSendNil: false,
  contentType: 'text/xml',
  encode(input) {
    return {
      method: 'POST',
      url: `${input.baseUrl}${input.path}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formEncode(input.params),
    }
  },
  decode: decodeFormAnswer,
}

/**
 * `GET service.asmx/Op?…` and `POST service.asmx/Op` (form) as ASMX's HttpGet/HttpPost protocols handle them:
 * case-sensitive method names, case-insensitive parameter names, `Missing parameter: X.` for an absent one, typed
 * parameters converted (form-convert.ts), a typed result written under its type's name (typed-return.ts),
 * errors as HTTP 500 text/plain one-liners (production style, no stack trace).
 */
import { header, textAnswer, type HttpAnswer, type HttpCall } from '../http/types.ts'
import { UTF16LE, UTF8, charsetByName, type Charset } from './charset.ts'
import type { Endpoint } from './endpoint.ts'
import { charsetParam, mediaType } from './content-type.ts'
import { convertFormParams } from './form-convert.ts'
import { typedReturnRoot } from './typed-return.ts'
import { parseUrlEncoded, rawBytesAsUrlText, type NameValues } from './url-decode.ts'

export const UNRECOGNIZED_FORMAT = textAnswer(405, 'Request format is unrecognized.')

/**
 * HttpRequest.ContentEncoding: the Content-Type's charset when the request has a body and .NET knows the name,
 * else the globalization default (UTF-8); an unknown charset is ignored, not refused.
 */
function requestCharset(call: HttpCall): Charset {
  const declared = call.body.length > 0 ? charsetParam(header(call, 'content-type') ?? '') : undefined
  return (declared === undefined ? undefined : charsetByName(declared)) ?? UTF8
}

function readValues(call: HttpCall, endpoint: Endpoint): NameValues | HttpAnswer {
  const decode = endpoint.stages.decodeFormValue
  const charset = requestCharset(call)
  // HttpRequest.QueryStringEncoding reads a query in UTF-8 where the request's encoding is UTF-16 (little-endian)
  if (call.method === 'GET') return parseUrlEncoded(rawBytesAsUrlText(call.query), decode, charset === UTF16LE ? UTF8 : charset)
  const contentType = header(call, 'content-type') ?? ''
  if (mediaType(contentType) !== 'application/x-www-form-urlencoded') {
    return textAnswer(500, `Request format is invalid: ${contentType}.`)
  }
  return parseUrlEncoded(rawBytesAsUrlText(call.body.toString('latin1')), decode, charset)
}

export function handleHttpOperation(call: HttpCall, methodName: string, endpoint: Endpoint): HttpAnswer {
  if (call.method !== 'GET' && call.method !== 'POST') return UNRECOGNIZED_FORMAT
  const ops = endpoint.service.operations
  const op = ops.find((o) => o.name === methodName)
  if (op === undefined) {
    const other = ops.find((o) => o.name.toLowerCase() === methodName.toLowerCase())
    return textAnswer(
      500,
      other === undefined
        ? `${methodName} Web Service method name is not valid.`
        : `Invalid method name '${methodName}',  method names are case sensitive.   The method name '${other.name}' with the same name but different casing was found.`,
    )
  }
  const values = readValues(call, endpoint)
  if ('status' in values) return values
  const reader = endpoint.stages.readFormParams.get(op.name)
  if (reader === undefined) return textAnswer(500, 'An error occurred on the server.')
  const read = reader(op, values)
  if (!read.ok) return textAnswer(500, `Missing parameter: ${read.missing}.`)
  const converted = convertFormParams(endpoint.service, op, read.params)
  if (!converted.ok) return textAnswer(500, converted.message)
  const binding = call.method === 'GET' ? 'http-get' : 'http-post'
  const resultType = op.result
  return endpoint.answer(op, converted.params, binding, {
    result:
      resultType === undefined
        ? endpoint.stages.writeHttpXml
        : (element) => endpoint.stages.writeHttpXml(typedReturnRoot(endpoint.service, resultType, element)),
    // HttpServerProtocol.WriteException: the exception's message, production style
    fault: (fault) => textAnswer(500, fault.reason),
  })
}

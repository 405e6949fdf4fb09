/** Reading a PUT body: `application/json`, UTF-8, a JSON object. Anything else is 400 InvalidParameter. */
import { mediaType } from '../asmx/content-type.ts'
import { header, type RestError, type RestRequest } from '../rest/types.ts'
import { MALFORMED_JSON, NOT_AN_OBJECT, WRONG_CONTENT_TYPE } from './messages.ts'

export type JsonObject = Readonly<Record<string, unknown>>

export type BodyRead = { readonly ok: true; readonly value: JsonObject } | RestError

/** Replaceable in the handler context (a deviation answers malformed bodies differently). */
export type JsonBodyReader = (request: RestRequest) => BodyRead

const isJsonMedia = (type: string): boolean => type === 'application/json'

export const readJsonObject: JsonBodyReader = (request) => {
  if (!isJsonMedia(mediaType(header(request, 'content-type') ?? ''))) return WRONG_CONTENT_TYPE
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(request.body))
  } catch {
    return MALFORMED_JSON
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return NOT_AN_OBJECT
  return { ok: true, value: value as JsonObject }
}

/** The body as a JSON object, or undefined (for deviations that look at what was sent). */
export function bodyObject(request: RestRequest): JsonObject | undefined {
  const read = readJsonObject(request)
  return read.ok ? read.value : undefined
}

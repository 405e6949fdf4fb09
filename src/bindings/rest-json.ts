import { isNil } from '../yaml/source.ts'
import { excerpt } from './xml-answer.ts'
import { mediaType, type Binding, type EncodeInput, type Outcome, type ParamValue } from './types.ts'

/** Far beyond any real answer; deeper values would overflow the stack of every recursive walk (JSON.stringify too). */
export const MAX_JSON_DEPTH = 100
/**
 * Values in one answer (objects, arrays and scalars: the whole, each array item, each member's value): far beyond any
 * real answer. A 4.9 MB object of 420,000 keys killed the worker downstream (schema errors, reports).
 */
export const MAX_JSON_VALUES = 100_000

/**
 * Nesting depth and number of values of a JSON text, read without parsing it (a scan is ~25 times cheaper than
 * JSON.parse, which would hold the thread for most of a second on a bomb); stops once past either limit. Exact for
 * valid JSON; for anything else, JSON.parse has the last word.
 */
export function jsonExtent(text: string, limits: { depth: number; values: number } = { depth: Infinity, values: Infinity }): { depth: number; values: number } {
  let depth = 0
  let deepest = 0
  let values = 1
  let inString = false
  let opened = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
      continue
    }
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue
    // The first thing inside a container that does not close it is its first value.
    if (opened && c !== 0x5d && c !== 0x7d) values++
    opened = false
    if (c === 0x22) inString = true
    else if (c === 0x2c) values++
    else if (c === 0x5b || c === 0x7b) {
      opened = true
      deepest = Math.max(deepest, ++depth)
    } else if (c === 0x5d || c === 0x7d) depth--
    if (deepest > limits.depth || values > limits.values) break
  }
  return { depth: deepest, values }
}

/** JSON value of a parameter: nil is null, `integer` params that look like integers become numbers. */
function jsonValue(value: ParamValue, type: 'string' | 'integer' | undefined): unknown {
  if (isNil(value)) return null
  if (type === 'integer' && /^-?\d+$/.test(value)) return Number(value)
  return value
}

/**
 * REST with JSON bodies: path `{param}`s and header params are taken out, the rest is the JSON body.
 * `$raw` sends a body as is and `$contentType` overrides its type (for malformed-input checks).
 */
export const restJson: Binding = {
  name: 'rest-json',
  canSendNil: true,
  contentType: 'application/json',
  encode(input: EncodeInput) {
    if (!input.http) throw new Error(`${input.operation}: rest-json needs the operation's http (method and path)`)
    const values = new Map(input.params)
    const used = new Set<string>(['$raw', '$contentType'])
    const text = (name: string) => {
      used.add(name)
      const v = values.get(name)
      return v === undefined || isNil(v) ? '' : v
    }
    const path = input.http.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(text(name)))
    const headers: Record<string, string> = { accept: 'application/json' }
    for (const [header, name] of Object.entries(input.http.headers ?? {})) {
      if (values.has(name) && !isNil(values.get(name)!)) headers[header.toLowerCase()] = text(name)
      used.add(name)
    }
    const method = input.http.method
    if (method === 'GET' || method === 'DELETE') return { method: method === 'GET' ? 'GET' : 'DELETE', url: `${input.baseUrl}${path}`, headers }
    const raw = values.get('$raw')
    const body =
      typeof raw === 'string'
        ? raw
        : JSON.stringify(Object.fromEntries([...values].filter(([k]) => !used.has(k)).map(([k, v]) => [k, jsonValue(v, input.types?.[k])])))
    const contentType = values.get('$contentType')
    headers['content-type'] = typeof contentType === 'string' ? contentType : 'application/json'
    return { method, url: `${input.baseUrl}${path}`, headers, body }
  },
  decode(answer, ctx): Outcome {
    const contentType = answer.headers['content-type'] ?? ''
    const base = { status: answer.status, contentType, problems: [] as Outcome['problems'] }
    const behaviours = ctx.wireBehaviours?.length ? ctx.wireBehaviours : ['X-1']
    if (mediaType(contentType) !== 'application/json') {
      base.problems.push({ behaviours, code: 'CONTENT_TYPE', message: `Content-Type is "${contentType || '(none)'}", the binding declares "application/json"` })
    }
    const extent = jsonExtent(answer.body, { depth: MAX_JSON_DEPTH, values: MAX_JSON_VALUES })
    const tooBig =
      extent.depth > MAX_JSON_DEPTH
        ? { code: 'TOO_DEEP', what: `is nested deeper than ${MAX_JSON_DEPTH} levels` }
        : extent.values > MAX_JSON_VALUES
          ? { code: 'TOO_MANY_VALUES', what: `holds more than ${MAX_JSON_VALUES} values (keys and array items)` }
          : undefined
    if (tooBig) {
      const problem = { behaviours, code: tooBig.code, message: `the answer's JSON ${tooBig.what}: ${excerpt(answer.body)}` }
      base.problems.push(problem)
      return { ...base, kind: 'undecodable', reason: problem.message }
    }
    let value: unknown
    try {
      value = JSON.parse(answer.body)
    } catch (e) {
      const problem = { behaviours, code: 'NOT_JSON', message: `the answer is not JSON (${(e as Error).message}): ${excerpt(answer.body)}` }
      base.problems.push(problem)
      return { ...base, kind: 'undecodable', reason: problem.message }
    }
    return { ...base, kind: 'answer', value }
  },
}

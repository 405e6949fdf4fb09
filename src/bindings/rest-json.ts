import { isNil } from '../yaml/source.ts'
import { excerpt } from './xml-answer.ts'
import { mediaType, type Binding, type EncodeInput, type Outcome, type ParamValue } from './types.ts'

/** Far beyond any real answer; deeper values would overflow the stack of every recursive walk (JSON.stringify too). */
export const MAX_JSON_DEPTH = 100
/**
 * Values in one answer (objects, arrays and scalars; an object's value counts once per key): far beyond any real
 * answer. A 4.9 MB object of 420,000 keys killed the worker downstream (schema errors, reports), not in JSON.parse.
 */
export const MAX_JSON_VALUES = 100_000

/** Nesting depth and number of values of a parsed JSON value, without recursion; stops once past either limit. */
export function jsonShape(value: unknown, limits: { depth: number; values: number } = { depth: Infinity, values: Infinity }): { depth: number; values: number } {
  let depth = 0
  let values = 1
  const todo: Array<[unknown, number]> = [[value, 0]]
  while (todo.length) {
    const [v, d] = todo.pop()!
    if (v === null || typeof v !== 'object') continue
    depth = Math.max(depth, d + 1)
    if (depth > limits.depth) break
    for (const k in v) {
      if (++values > limits.values) return { depth, values }
      todo.push([(v as Record<string, unknown>)[k], d + 1])
    }
  }
  return { depth, values }
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
    const body = typeof raw === 'string'
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
    let value: unknown
    try {
      value = JSON.parse(answer.body)
    } catch (e) {
      const problem = { behaviours, code: 'NOT_JSON', message: `the answer is not JSON (${(e as Error).message}): ${excerpt(answer.body)}` }
      base.problems.push(problem)
      return { ...base, kind: 'undecodable', reason: problem.message }
    }
    const shape = jsonShape(value, { depth: MAX_JSON_DEPTH, values: MAX_JSON_VALUES })
    const tooBig = shape.depth > MAX_JSON_DEPTH ? { code: 'TOO_DEEP', what: `is nested deeper than ${MAX_JSON_DEPTH} levels` }
      : shape.values > MAX_JSON_VALUES ? { code: 'TOO_MANY_VALUES', what: `holds more than ${MAX_JSON_VALUES} values (keys and array items)` }
      : undefined
    if (tooBig) {
      const problem = { behaviours, code: tooBig.code, message: `the answer's JSON ${tooBig.what}: ${excerpt(answer.body)}` }
      base.problems.push(problem)
      return { ...base, kind: 'undecodable', reason: problem.message }
    }
    return { ...base, kind: 'answer', value }
  },
}

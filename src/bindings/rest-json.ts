import { isNil } from '../yaml/source.ts'
import { excerpt } from './xml-answer.ts'
import { mediaType, type Binding, type EncodeInput, type Outcome, type ParamValue } from './types.ts'

/** Far beyond any real answer; deeper values would overflow the stack of every recursive walk (JSON.stringify too). */
export const MAX_JSON_DEPTH = 100

/** Nesting depth of a parsed JSON value, without recursion. */
export function jsonDepth(value: unknown, limit = Infinity): number {
  let deepest = 0
  const todo: Array<[unknown, number]> = [[value, 0]]
  while (todo.length) {
    const [v, d] = todo.pop()!
    if (v === null || typeof v !== 'object') continue
    deepest = Math.max(deepest, d + 1)
    if (deepest > limit) return deepest
    for (const child of Object.values(v)) todo.push([child, d + 1])
  }
  return deepest
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
    if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      const problem = { behaviours, code: 'TOO_DEEP', message: `the answer's JSON is nested deeper than ${MAX_JSON_DEPTH} levels: ${excerpt(answer.body)}` }
      base.problems.push(problem)
      return { ...base, kind: 'undecodable', reason: problem.message }
    }
    return { ...base, kind: 'answer', value }
  },
}

import { isNil } from '../yaml/source.ts'
import { excerpt } from './xml-answer.ts'
import { mediaType, type Binding, type EncodeInput, type Outcome, type ParamValue } from './types.ts'

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
    if (mediaType(contentType) !== 'application/json') {
      base.problems.push({ behaviours: ctx.wireBehaviours?.length ? ctx.wireBehaviours : ['X-1'], code: 'CONTENT_TYPE', message: `Content-Type is "${contentType || '(none)'}", the binding declares "application/json"` })
    }
    try {
      return { ...base, kind: 'answer', value: JSON.parse(answer.body) as unknown }
    } catch (e) {
      const problem = { behaviours: ctx.wireBehaviours?.length ? ctx.wireBehaviours : ['X-1'], code: 'NOT_JSON', message: `the answer is not JSON (${(e as Error).message}): ${excerpt(answer.body)}` }
      base.problems.push(problem)
      return { ...base, kind: 'undecodable', reason: problem.message }
    }
  },
}

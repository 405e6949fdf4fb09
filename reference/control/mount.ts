/** The control endpoint as a mount: key check first, then route, then JSON body parsing. */
import { createHash, timingSafeEqual } from 'node:crypto'
import { header, type HttpAnswer, type HttpCall, type Mount } from '../http/types.ts'
import { matchPath } from '../http/match-path.ts'
import { badRequest, json, type ControlRoute } from './routes.ts'

export const CONTROL_PREFIX = '/__reference'
export const CONTROL_HEADER = 'x-reference-control'

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest()

function keyMatches(given: string | undefined, key: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(key))
}

function parseBody(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  if (body.length === 0) return { ok: true, value: undefined }
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as unknown }
  } catch {
    return { ok: false }
  }
}

export function createControlMount(key: string, routes: readonly ControlRoute[]): Mount {
  const handle = (call: HttpCall, rawPath: string): HttpAnswer => {
    if (!keyMatches(header(call, CONTROL_HEADER), key)) return json(403, { error: 'forbidden' })
    const candidates = routes.map((route) => ({ route, params: matchPath(route.pattern, rawPath) })).filter((c) => c.params !== undefined)
    if (candidates.length === 0) return json(404, { error: 'not found' })
    const hit = candidates.find((c) => c.route.method === call.method)
    if (hit === undefined || hit.params === undefined) return json(405, { error: 'method not allowed' })
    const body = parseBody(call.body)
    if (!body.ok) return badRequest('the body is not valid JSON')
    return hit.route.handle({ params: hit.params, body: body.value, header: (name) => header(call, name) })
  }
  return {
    name: 'control',
    matches: (path) => path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`),
    handle: (call) => {
      try {
        // the raw path, so that an encoded '/' inside a user name stays inside its segment
        return handle(call, call.rawPath)
      } catch {
        return json(500, { error: 'internal error' })
      }
    },
  }
}

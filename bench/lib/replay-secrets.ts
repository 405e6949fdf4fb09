/**
 * What the replay puts where the HAR says ***: a HAR never holds a secret, so the replay learns the live ones from its
 * own answers (a login's ticket, the API key provisioning assigns) and the readers it sets up, and fills them in by the
 * name of the field that carries them. Passwords stay ***: the replay provisions its users with the HAR's bodies, so
 * "***" is their password. Pure: strings in, strings out.
 */
import { parseTemplate, Template } from '../../src/expr.ts'
import type { ApiDescription } from '../../src/spec/model.ts'

export const MASK = '***'

/** Request fields (lower-case names) by what they carry. */
export interface SecretFields {
  /** The caller's token: a ticket, a session, an API key (a param, a header, or a credential param). */
  token: Set<string>
  /** A password (a login's, or one sent with every call). */
  password: Set<string>
  /** The user attribute a credential-held token comes from (`apiKey`): what provisioning answers. */
  tokenAttribute?: string
  /** The login's field naming the user it logs in (`loginname`), and the user attribute it carries (`login`). */
  account?: { field: string; attribute: string }
}

/** A field's name as requests carry it: the last segment of a dotted param path, lower-case. */
export const local = (name: string) => name.slice(name.lastIndexOf('.') + 1).toLowerCase()
/** The user attributes a value names (`${user.apiKey}` → apiKey): parsed at load (a Template), or a literal. */
const userRefs = (value: unknown) =>
  (value instanceof Template ? value : parseTemplate(typeof value === 'string' ? value : '')).parts.flatMap((p) =>
    p.kind === 'ref' && p.path[0] === 'user' && p.path[1] ? [p.path[1]] : [],
  )

export function secretFields(api: ApiDescription): SecretFields {
  const token = new Set<string>()
  const password = new Set<string>()
  let tokenAttribute: string | undefined
  let account: SecretFields['account']
  for (const op of Object.values(api.operations)) {
    if (!op.token) continue
    token.add(local(op.token))
    for (const [header, param] of Object.entries(op.http?.headers ?? {})) if (param === op.token) token.add(header.toLowerCase())
  }
  for (const [name, template] of Object.entries(api.auth.login?.params ?? {})) {
    const refs = userRefs(template)
    if (refs.some((a) => api.user.secrets.includes(a))) password.add(local(name))
    else if (refs[0] && !account) account = { field: local(name), attribute: refs[0] }
  }
  const credential = api.auth.credential
  if (credential instanceof Template || typeof credential === 'string') tokenAttribute = userRefs(credential)[0]
  else if (credential) {
    for (const [name, template] of Object.entries(credential)) {
      const secret = userRefs(template).find((a) => api.user.secrets.includes(a))
      if (secret === 'password') password.add(local(name))
      else if (secret) {
        token.add(local(name))
        tokenAttribute = secret
      }
    }
  }
  return { token, password, ...(tokenAttribute ? { tokenAttribute } : {}), ...(account ? { account } : {}) }
}

export interface WireRequest {
  url: string
  headers: Record<string, string>
  body?: string
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const jsonEscape = (s: string) => JSON.stringify(s).slice(1, -1)

/**
 * Each *** that a field carries, replaced with `value(field)` (escaped for where it stands); a field `value` knows
 * nothing of keeps its ***. `overwrite` names XML elements whose content is replaced whatever it is (a reader's user
 * name where the HAR shows the suite's reader).
 */
export function fill(req: WireRequest, value: (field: string) => string | undefined, overwrite: ReadonlyMap<string, string> = new Map()): WireRequest {
  const headers: Record<string, string> = {}
  for (const [name, v] of Object.entries(req.headers)) headers[name] = v === MASK ? (value(name.toLowerCase()) ?? v) : v
  const form = (text: string) =>
    text.replace(/([A-Za-z_][\w.-]*)=\*\*\*(?=&|$)/g, (all, name: string) => {
      const v = value(local(name))
      return v === undefined ? all : `${name}=${encodeURIComponent(v)}`
    })
  const q = req.url.indexOf('?')
  const url = q < 0 ? req.url : req.url.slice(0, q + 1) + form(req.url.slice(q + 1))
  let body = req.body
  if (body !== undefined) {
    if (body.trimStart().startsWith('<')) {
      body = body.replace(
        /<((?:[\w.-]+:)?([A-Za-z_][\w.-]*))((?:\s[^>]*)?)>([^<]*)<\/\1>/g,
        (all, tag: string, name: string, attrs: string, content: string) => {
          const key = name.toLowerCase()
          const v = overwrite.get(key) ?? (content === MASK ? value(key) : undefined)
          return v === undefined ? all : `<${tag}${attrs}>${xmlEscape(v)}</${tag}>`
        },
      )
    } else if (body.trimStart().startsWith('{')) {
      body = body.replace(/"([^"\\]+)"(\s*:\s*)"\*\*\*"/g, (all, name: string, colon: string) => {
        const v = value(local(name))
        return v === undefined ? all : `"${name}"${colon}"${jsonEscape(v)}"`
      })
    } else {
      body = form(body)
    }
  }
  return { url, headers, ...(body !== undefined ? { body } : {}) }
}

/**
 * What a field (a lower-case local name, as `fill` knows fields) carries in a request: a header, a query or form
 * value, an XML element's text or a JSON string; the first it finds, undefined when none does.
 */
export function fieldValue(req: WireRequest, field: string): string | undefined {
  for (const [name, v] of Object.entries(req.headers)) if (name.toLowerCase() === field) return v
  const form = (text: string) => {
    for (const [name, v] of new URLSearchParams(text)) if (local(name) === field) return v
    return undefined
  }
  const q = req.url.indexOf('?')
  const inQuery = q < 0 ? undefined : form(req.url.slice(q + 1))
  if (inQuery !== undefined || req.body === undefined) return inQuery
  const body = req.body.trimStart()
  if (body.startsWith('<')) {
    for (const m of body.matchAll(/<((?:[\w.-]+:)?([A-Za-z_][\w.-]*))(?:\s[^>]*)?>([^<]*)<\/\1>/g))
      if (m[2]!.toLowerCase() === field)
        return m[3]!
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"')
          .replace(/&apos;/g, "'")
          .replace(/&amp;/g, '&')
    return undefined
  }
  if (body.startsWith('{')) {
    for (const m of body.matchAll(/"([^"\\]+)"\s*:\s*("(?:[^"\\]|\\.)*")/g)) if (local(m[1]!) === field) return JSON.parse(m[2]!) as string
    return undefined
  }
  return form(body)
}

/**
 * The values a live answer holds where the recorded one shows ***, in order: each *** is found in the live text by the
 * few characters just before it, and ends at the character that follows it in the recorded text (a quote, a '<'). The
 * anchors are short on purpose: an id next to a ticket differs between the run and the replay.
 */
export function revealed(recorded: string, live: string): string[] {
  const out: string[] = []
  let from = 0
  let cursor = 0
  for (let i = recorded.indexOf(MASK); i >= 0; i = recorded.indexOf(MASK, i + MASK.length)) {
    const before = recorded.slice(Math.max(from, i - 10), i)
    const after = recorded.charAt(i + MASK.length)
    const at = before ? live.indexOf(before, cursor) : cursor
    if (at < 0) break
    const start = at + before.length
    const end = after ? live.indexOf(after, start) : live.length
    if (end < 0) break
    out.push(live.slice(start, end))
    cursor = end
    from = i + MASK.length
  }
  return out
}

/** Values a provisioning answer assigned differently in the replay: ids (recorded → live) and attributes the HAR masks. */
export function assigned(recorded: string, live: string): { ids: Map<string, string>; secrets: Record<string, string> } {
  const ids = new Map<string, string>()
  const secrets: Record<string, string> = {}
  let r: Record<string, unknown>
  let l: Record<string, unknown>
  try {
    r = JSON.parse(recorded) as Record<string, unknown>
    l = JSON.parse(live) as Record<string, unknown>
  } catch {
    return { ids, secrets }
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined)
  for (const [k, value] of Object.entries(r)) {
    const [was, now] = [text(value), text(l[k])]
    if (was === undefined || now === undefined || was === now) continue
    if (was === MASK) secrets[k] = now
    else ids.set(was, now)
  }
  return { ids, secrets }
}

/**
 * Each recorded id, where it stands as a whole word (a path segment, an element's content, a form or JSON value; never
 * inside a number, a date or a version), replaced by the live one. The origin is left alone ("127" may be an id).
 */
export function mapIds(req: WireRequest, ids: ReadonlyMap<string, string>): WireRequest {
  if (ids.size === 0) return req
  const pattern = new RegExp(`(?<![\\w.-])(${[...ids.keys()].map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\w.:-])`, 'g')
  const swap = (text: string) => text.replace(pattern, (id) => ids.get(id) ?? id)
  const origin = new URL(req.url).origin
  return { url: origin + swap(req.url.slice(origin.length)), headers: req.headers, ...(req.body !== undefined ? { body: swap(req.body) } : {}) }
}

/** Element and attribute names, or JSON keys, in order: answers of one shape differ in values at most (an error differs in shape). */
export function shapeOf(body: string): string {
  const text = body.trimStart()
  if (text.startsWith('{') || text.startsWith('[')) return [...text.matchAll(/"([^"\\]+)"\s*:/g)].map((m) => m[1]).join(' ')
  return [...text.matchAll(/<\/?([A-Za-z_][\w.:-]*)|\s([A-Za-z_][\w.:-]*)=["']/g)].map((m) => m[1] ?? `@${m[2]}`).join(' ')
}

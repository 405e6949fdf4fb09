import { childElements, parseXml, type XmlElement } from '../xml/tree.ts'

/** Pure: an answer as path → value, so that two answers can be compared field by field. */
export type Flat = Map<string, string>

/** `status`, `content-type`, then the body: JSON paths (`$.data.userId`), XML paths by local name, or `text`. */
export function flattenAnswer(answer: { status: number; contentType: string; body: string }): Flat {
  const flat: Flat = new Map([
    ['status', String(answer.status)],
    ['content-type', normaliseMediaType(answer.contentType)],
  ])
  const body = answer.body.trim()
  if (body === '') return flat
  if (/json/i.test(answer.contentType) || body.startsWith('{') || body.startsWith('[')) {
    try {
      flattenJson(JSON.parse(body), '$', flat)
      return flat
    } catch {
      /* not JSON after all: compared as text */
    }
  }
  if (body.startsWith('<')) {
    try {
      const root = parseXml(body)
      flattenXml(root, `/${root.local}`, flat)
      return flat
    } catch {
      /* not XML: compared as text */
    }
  }
  flat.set('text', body)
  return flat
}

/**
 * A request as path → value: the path's segments (`path[2]`), its query (`query.UserName`), then its body as an answer's
 * is read, or as form fields (`form.UserName`). Where a check names its users: a login, an ID in a URL.
 */
export function flattenRequest(request: { path: string; contentType: string; body: string }): Flat {
  const url = new URL(request.path, 'http://request.invalid')
  const flat: Flat = new Map()
  url.pathname.split('/').forEach((segment, i) => {
    if (segment) flat.set(`path[${i}]`, safeDecode(segment))
  })
  for (const [name, value] of url.searchParams) flat.set(`query.${name}`, value)
  if (/x-www-form-urlencoded/i.test(request.contentType)) {
    for (const [name, value] of new URLSearchParams(request.body)) flat.set(`form.${name}`, value)
  } else if (request.body.trim() !== '') {
    for (const [path, value] of flattenAnswer({ status: 0, contentType: request.contentType, body: request.body })) {
      if (path !== 'status' && path !== 'content-type') flat.set(path, value)
    }
  }
  return flat
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** `text/xml; charset=utf-8` and `text/xml;charset=UTF-8` are the same to a client. */
export function normaliseMediaType(contentType: string): string {
  return contentType
    .split(';')
    .map((p) =>
      p
        .trim()
        .toLowerCase()
        .replace(/\s*=\s*/, '=')
        .replace(/"/g, ''),
    )
    .filter(Boolean)
    .join('; ')
}

function flattenJson(value: unknown, path: string, out: Flat): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, '[]')
    value.forEach((v, i) => flattenJson(v, `${path}[${i}]`, out))
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
    if (entries.length === 0) out.set(path, '{}')
    for (const [k, v] of entries) flattenJson(v, `${path}.${k}`, out)
  } else {
    // JSON literals keep their type: 7 and "7" are different answers to a typed client.
    out.set(path, JSON.stringify(value))
  }
}

/** Elements by local name (prefixes mean nothing to a client); the namespace as `path#ns`; repeats as `[2]`. */
function flattenXml(el: XmlElement, path: string, out: Flat, nsOfParent = ''): void {
  if (el.uri !== nsOfParent) out.set(`${path}#ns`, el.uri)
  for (const a of el.attributes) if (a.uri !== 'http://www.w3.org/2000/xmlns/') out.set(`${path}/@${a.uri ? `{${a.uri}}` : ''}${a.local}`, a.value)
  const children = childElements(el)
  if (children.length === 0) {
    out.set(path, el.children.join(''))
    return
  }
  const counts = new Map<string, number>()
  for (const c of children) counts.set(c.local, (counts.get(c.local) ?? 0) + 1)
  const seen = new Map<string, number>()
  for (const child of children) {
    const n = (seen.get(child.local) ?? 0) + 1
    seen.set(child.local, n)
    flattenXml(child, `${path}/${child.local}${counts.get(child.local)! > 1 ? `[${n}]` : ''}`, out, el.uri)
  }
}

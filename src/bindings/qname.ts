import { XMLNS_URI, textOf, type XmlElement } from '../xml/tree.ts'

/**
 * SOAP fault codes are QNames written as text (`soap:Client`, `s:Client`, `Client` under a default namespace): what
 * they mean is the namespace their prefix is bound to where the text stands, not the prefix. Pure.
 */

export interface QName {
  uri: string
  local: string
}

/** Namespace bindings in scope at the last element of `path` (root first): prefix ('' for the default) → URI. */
export function inScope(path: readonly XmlElement[]): Map<string, string> {
  const ns = new Map<string, string>()
  for (const el of path) {
    for (const a of el.attributes) {
      if (a.uri !== XMLNS_URI) continue
      ns.set(a.local === 'xmlns' ? '' : a.local, a.value)
    }
  }
  return ns
}

/** Resolves `prefix:local` (or `local`, under the default namespace); undefined when the prefix is not bound. */
export function resolveQName(text: string, ns: ReadonlyMap<string, string>): QName | undefined {
  const t = text.trim()
  const i = t.indexOf(':')
  const [prefix, local] = i < 0 ? ['', t] : [t.slice(0, i), t.slice(i + 1)]
  if (!local) return undefined
  const uri = ns.get(prefix)
  if (uri === undefined) return prefix === '' ? { uri: '', local } : undefined
  return { uri, local }
}

/**
 * The form expectations compare: `soap:Local` for a name in the answer's envelope namespace (whatever prefix the
 * answer used), `{uri}local` (Clark notation) for any other namespace, `local` for none. Text whose prefix is not
 * bound stays as it came.
 */
export function canonicalName(q: QName | undefined, raw: string, envelope: string): string {
  if (!q) return raw.trim()
  if (q.uri === envelope) return `soap:${q.local}`
  return q.uri ? `{${q.uri}}${q.local}` : q.local
}

/** The QName text of an element (a faultcode, a SOAP 1.2 Value), resolved where it stands. */
export function qnameText(path: readonly XmlElement[], envelope: string): string {
  const el = path[path.length - 1]
  if (!el) return ''
  const raw = textOf(el)
  return canonicalName(resolveQName(raw, inScope(path)), raw, envelope)
}

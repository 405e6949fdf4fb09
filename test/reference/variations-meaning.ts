/**
 * What an answer means, independent of its spelling: the status, the media type, and the body as a value —
 * XML as namespace-resolved elements ({uri}local, attributes sorted, namespace declarations left out, white
 * space between child elements dropped, text merged across CDATA and references, fault code QNames
 * resolved), JSON as parsed. Two answers a variation may make different in spelling only mean the same.
 */
import { SaxesParser } from 'saxes'
import type { Probe } from './variations-probes.ts'

export interface XmlMeaning {
  readonly name: string
  readonly attrs: Readonly<Record<string, string>>
  readonly children: ReadonlyArray<XmlMeaning | string>
}

export interface Meaning {
  readonly status: number
  readonly media: string
  readonly body: unknown
}

interface Building {
  name: string
  attrs: Record<string, string>
  children: Array<Building | string>
  qname: boolean
}

const FAULT_CODE_HOLDERS = new Set(['faultcode', 'Value'])
const GUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g

/** Tickets and sessions are random GUIDs: each stands as one fixed GUID, in the case it was written in. */
export const maskGuids = (text: string): string =>
  text.replace(GUID, (guid) => (/[A-F]/.test(guid) ? 'ABCDEF01-2345-4678-9ABC-DEF012345678' : 'abcdef01-2345-4678-9abc-def012345678'))

/** `mask` false keeps GUIDs as they are (to read a ticket out of an answer). */
export function xmlMeaning(text: string, mask = true): XmlMeaning {
  const masked = mask ? maskGuids : (t: string): string => t
  const parser = new SaxesParser({ xmlns: true })
  const stack: Building[] = []
  let root: Building | undefined
  parser.on('error', (e) => {
    throw e
  })
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {}
    for (const a of Object.values(tag.attributes)) {
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue
      attrs[`{${a.uri}}${a.local}`] = masked(a.value)
    }
    const el: Building = { name: `{${tag.uri}}${tag.local}`, attrs, children: [], qname: FAULT_CODE_HOLDERS.has(tag.local) }
    const parent = stack[stack.length - 1]
    if (parent) parent.children.push(el)
    else root = el
    stack.push(el)
  })
  const onText = (t: string): void => {
    const top = stack[stack.length - 1]
    if (!top) return
    const last = top.children[top.children.length - 1]
    if (typeof last === 'string') top.children[top.children.length - 1] = last + t
    else top.children.push(t)
  }
  parser.on('text', onText)
  parser.on('cdata', onText)
  parser.on('closetag', () => {
    const el = stack.pop()!
    if (el.children.some((c) => typeof c !== 'string')) el.children = el.children.filter((c) => typeof c !== 'string' || c.trim() !== '')
    const only = el.children[0]
    if (el.qname && el.children.length === 1 && typeof only === 'string' && /^[\w.-]+:[\w.-]+$/.test(only.trim())) {
      const [prefix, local] = only.trim().split(':') as [string, string]
      el.children = [`{${parser.resolve(prefix) ?? `unbound:${prefix}`}}${local}`]
    }
  })
  parser.write(text.replace(/^\uFEFF/, '')).close()
  if (!root) throw new Error('no root element')
  const freeze = (b: Building): XmlMeaning => ({
    name: b.name,
    attrs: Object.fromEntries(Object.entries(b.attrs).sort(([x], [y]) => x.localeCompare(y))),
    children: b.children.map((c) => (typeof c === 'string' ? masked(c) : freeze(c))),
  })
  return freeze(root)
}

const mediaOf = (probe: Probe): string => {
  const type = probe.headers['content-type']
  return (typeof type === 'string' ? type : '').split(';')[0]!.trim().toLowerCase()
}

export function meaning(probe: Probe): Meaning {
  const media = mediaOf(probe)
  const text = probe.body.replace(/^\uFEFF/, '')
  const body = media === 'application/json' ? JSON.parse(text) : media.includes('xml') && text.trim() !== '' ? xmlMeaning(text) : text
  return { status: probe.status, media, body }
}

/** A copy of an XML meaning without the elements `drop` names and the attributes `dropAttr` names ({uri}local). */
export function without(m: XmlMeaning, drop: (name: string) => boolean, dropAttr: (name: string) => boolean = () => false): XmlMeaning {
  return {
    name: m.name,
    attrs: Object.fromEntries(Object.entries(m.attrs).filter(([n]) => !dropAttr(n))),
    children: m.children.filter((c) => typeof c === 'string' || !drop(c.name)).map((c) => (typeof c === 'string' ? c : without(c, drop, dropAttr))),
  }
}

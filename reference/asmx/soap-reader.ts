/**
 * Reads a request's text (soap-text.ts decodes the body) into a small namespace-resolved element tree with saxes
 * (strict XML 1.0, namespaces on). Anything not well-formed, any DOCTYPE (so no DTD and no entity tricks), absurd
 * nesting or an element flood is a `malformed` result; the SOAP layer answers those with HTTP 400 and an empty body.
 * Bytes are read as strict UTF-8 (invalid UTF-8 is malformed).
 */
import { SaxesParser, type SaxesTagNS } from 'saxes'

export interface XAttr {
  readonly local: string
  readonly ns: string
  readonly value: string
}

export interface XNode {
  readonly local: string
  readonly ns: string
  readonly attrs: readonly XAttr[]
  readonly children: ReadonlyArray<XNode | string>
  readonly line: number
  readonly column: number
}

export type ReadResult = { readonly ok: true; readonly root: XNode } | { readonly ok: false }

const MAX_DEPTH = 128
/** A user-update request has a few dozen elements; a megabyte of `<e/>` would cost a second of CPU and a large tree. */
const MAX_ELEMENTS = 10_000

interface Building {
  readonly local: string
  readonly ns: string
  readonly attrs: XAttr[]
  readonly children: Array<XNode | string>
  readonly line: number
  readonly column: number
}

class Malformed extends Error {}

function decodeUtf8(body: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body)
  } catch {
    return undefined
  }
}

export function readXml(input: string | Uint8Array): ReadResult {
  const text = typeof input === 'string' ? input : decodeUtf8(input)
  if (text === undefined) return { ok: false }
  const parser = new SaxesParser({ xmlns: true, position: true, defaultXMLVersion: '1.0', forceXMLVersion: true })
  const stack: Building[] = []
  let root: XNode | undefined
  let elements = 0

  parser.on('error', () => {
    throw new Malformed()
  })
  parser.on('doctype', () => {
    throw new Malformed()
  })
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (stack.length >= MAX_DEPTH || ++elements > MAX_ELEMENTS) throw new Malformed()
    const attrs = Object.values(tag.attributes)
      .filter((a) => a.prefix !== 'xmlns' && a.name !== 'xmlns')
      .map((a) => ({ local: a.local, ns: a.uri, value: a.value }))
    stack.push({ local: tag.local, ns: tag.uri, attrs, children: [], line: parser.line, column: parser.column })
  })
  parser.on('text', (t) => stack.at(-1)?.children.push(t))
  parser.on('cdata', (t) => stack.at(-1)?.children.push(t))
  parser.on('closetag', () => {
    const done = stack.pop()
    if (done === undefined) throw new Malformed()
    const parent = stack.at(-1)
    if (parent) parent.children.push(done)
    else root = done
  })

  try {
    parser.write(text).close()
  } catch {
    return { ok: false }
  }
  return root === undefined ? { ok: false } : { ok: true, root }
}

export function childElements(node: XNode): XNode[] {
  return node.children.filter((c): c is XNode => typeof c !== 'string')
}

export function textContent(node: XNode): string {
  return node.children.filter((c): c is string => typeof c === 'string').join('')
}

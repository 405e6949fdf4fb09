/**
 * An answer's XML as variations rewrite it: elements with their qualified names and attributes in document
 * order (prefixes and declarations kept as written, not resolved), text, CDATA and comments, and the XML
 * declaration as written. Written back with the default style, an answer the reference wrote comes out
 * byte for byte as it went in (the writer escapes as reference/asmx/xml.ts does, which writes a CR in text as
 * `&#xD;`; a literal CR line end, which the parser reads as LF, would come back as LF).
 */
import { SaxesParser } from 'saxes'
import { escapeAttr, escapeText } from '../asmx/xml.ts'

export interface RElement {
  readonly name: string
  readonly attrs: ReadonlyArray<readonly [string, string]>
  readonly children: readonly RChild[]
}

/**
 * `space` is white space a rewrite puts between elements, written as it is (a CR in it stays a CR: as
 * insignificant white space its line ends may be normalised); the parser never makes one.
 */
export type RChild = RElement | { readonly text: string } | { readonly comment: string } | { readonly space: string }

export interface RDoc {
  /** The XML declaration as written (`<?xml version="1.0" encoding="utf-8"?>`), or undefined when there is none. */
  readonly declaration: string | undefined
  /** What stands between the declaration and the root element (white space). */
  readonly prolog: string
  readonly root: RElement
}

export const isElement = (child: RChild): child is RElement => 'name' in child
export const isText = (child: RChild): child is { readonly text: string } => 'text' in child

interface Building {
  name: string
  attrs: Array<readonly [string, string]>
  children: RChild[]
}

/** Parses an answer body; undefined when it is not one well-formed element (variations then leave it as it is). */
export function parseDoc(body: string): RDoc | undefined {
  const declaration = body.startsWith('<?xml') ? body.slice(0, body.indexOf('?>') + 2) : undefined
  const afterDeclaration = declaration === undefined ? body : body.slice(declaration.length)
  const prolog = /^\s*/.exec(afterDeclaration)?.[0] ?? ''
  const parser = new SaxesParser({ xmlns: false })
  const stack: Building[] = []
  let root: Building | undefined
  let failed = false
  const top = (): Building | undefined => stack[stack.length - 1]
  parser.on('error', () => {
    failed = true
  })
  parser.on('doctype', () => {
    failed = true
  })
  parser.on('opentag', (tag) => {
    const element: Building = { name: tag.name, attrs: Object.entries(tag.attributes as Record<string, string>), children: [] }
    const parent = top()
    if (parent) parent.children.push(element)
    else if (root === undefined) root = element
    else failed = true
    stack.push(element)
  })
  parser.on('closetag', () => {
    stack.pop()
  })
  parser.on('text', (text) => {
    const parent = top()
    if (parent) parent.children.push({ text })
    else if (text.trim() !== '') failed = true
  })
  parser.on('cdata', (text) => top()?.children.push({ text }))
  parser.on('comment', (comment) => {
    const parent = top()
    if (parent) parent.children.push({ comment })
    else failed = true
  })
  parser.on('processinginstruction', () => {
    if (stack.length > 0) failed = true
  })
  try {
    parser.write(body).close()
  } catch {
    return undefined
  }
  if (failed || root === undefined) return undefined
  return { declaration, prolog, root: merged(root) }
}

/** Adjacent text pieces (text next to CDATA) become one text, as the parser's reader sees them. */
function merged(element: Building): RElement {
  const children: RChild[] = []
  for (const child of element.children) {
    const last = children[children.length - 1]
    if (isText(child) && last !== undefined && isText(last)) children[children.length - 1] = { text: last.text + child.text }
    else children.push(isElement(child) ? merged(child as Building) : child)
  }
  return { name: element.name, attrs: element.attrs, children }
}

/** How a document is spelled; every part defaults to the reference's own spelling. */
export interface WriteStyle {
  /** The declaration to write for the one read (undefined: none). */
  readonly declaration?: (read: string | undefined) => string | undefined
  /** The white space between the declaration and the root, for the one read. */
  readonly prolog?: (read: string) => string
  /** A text node as written in element content. */
  readonly text?: (text: string) => string
  /** One attribute, with its leading space: ` name="value"`. */
  readonly attr?: (name: string, value: string) => string
  /** An element without content: `<name attrs />`. */
  readonly empty?: (start: string, name: string) => string
}

const DEFAULT_STYLE: Required<WriteStyle> = {
  declaration: (read) => read,
  prolog: (read) => read,
  text: escapeText,
  attr: (name, value) => ` ${name}="${escapeAttr(value)}"`,
  empty: (start) => `${start} />`,
}

function writeElement(element: RElement, style: Required<WriteStyle>): string {
  const start = `<${element.name}${element.attrs.map(([name, value]) => style.attr(name, value)).join('')}`
  if (element.children.length === 0 || element.children.every((c) => isText(c) && c.text === '')) return style.empty(start, element.name)
  const inner = element.children
    .map((child) =>
      isElement(child) ? writeElement(child, style) : isText(child) ? style.text(child.text) : 'space' in child ? child.space : `<!--${child.comment}-->`,
    )
    .join('')
  return `${start}>${inner}</${element.name}>`
}

export function writeDoc(doc: RDoc, style: WriteStyle = {}): string {
  const full: Required<WriteStyle> = { ...DEFAULT_STYLE, ...style }
  const declaration = full.declaration(doc.declaration)
  return `${declaration ?? ''}${declaration === undefined ? '' : full.prolog(doc.prolog)}${writeElement(doc.root, full)}`
}

export const prefixOf = (name: string): string => (name.includes(':') ? name.slice(0, name.indexOf(':')) : '')
export const localOf = (name: string): string => (name.includes(':') ? name.slice(name.indexOf(':') + 1) : name)
export const attrValue = (element: RElement, name: string): string | undefined => element.attrs.find(([n]) => n === name)?.[1]
export const elementChildren = (element: RElement): RElement[] => element.children.filter(isElement)

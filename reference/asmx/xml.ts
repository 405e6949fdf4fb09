/**
 * A small immutable XML element model and its writer. Values are escaped the way .NET's XmlWriter escapes
 * them (`&amp; &lt; &gt; &quot;` plus character references for tab, CR and LF in attributes); characters
 * that XML 1.0 cannot carry raise XmlCharacterError. A value wrapped in `raw()` is written verbatim
 * (only deviations use that). An element has either children or text content (typed values: `<UserID>5</UserID>`).
 */
import { XmlCharacterError } from '../errors.ts'

export interface RawXml {
  readonly raw: string
}

export type AttrValue = string | RawXml

export interface XmlElement {
  readonly name: string
  readonly attrs: ReadonlyArray<readonly [string, AttrValue]>
  readonly children: readonly XmlElement[]
  /** Text content of a leaf element; "" or undefined is written as an empty element. */
  readonly text?: string
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'

export function el(name: string, attrs: ReadonlyArray<readonly [string, AttrValue]> = [], children: readonly XmlElement[] = []): XmlElement {
  return { name, attrs, children }
}

/** A leaf element with text content: `leaf('UserID', '5')` is `<UserID>5</UserID>`, `leaf('A', '')` is `<A />`. */
export function leaf(name: string, text: string): XmlElement {
  return { name, attrs: [], children: [], text }
}

/** The text of the first child named `name`, or undefined. */
export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find((c) => c.name === name)?.text
}

/** A copy with the text of every child named `name` replaced by `f(text)`. */
export function mapChildText(element: XmlElement, name: string, f: (text: string) => string): XmlElement {
  return { ...element, children: element.children.map((c) => (c.name === name ? { ...c, text: f(c.text ?? '') } : c)) }
}

export function raw(text: string): RawXml {
  return { raw: text }
}

export function attrText(value: AttrValue | undefined): string | undefined {
  if (value === undefined) return undefined
  return typeof value === 'string' ? value : value.raw
}

/** The value of an attribute, or undefined. */
export function attrOf(element: XmlElement, name: string): string | undefined {
  return attrText(element.attrs.find(([key]) => key === name)?.[1])
}

/** A copy of the element with one attribute replaced (or appended). */
export function withAttr(element: XmlElement, name: string, value: AttrValue): XmlElement {
  const exists = element.attrs.some(([key]) => key === name)
  const attrs = exists ? element.attrs.map(([key, old]) => [key, key === name ? value : old] as const) : [...element.attrs, [name, value] as const]
  return { ...element, attrs }
}

/** A deep copy whose attribute values are written without escaping. */
export function unescapedDeep(element: XmlElement): XmlElement {
  return {
    name: element.name,
    attrs: element.attrs.map(([key, value]) => [key, raw(attrText(value) ?? '')] as const),
    children: element.children.map(unescapedDeep),
    ...(element.text === undefined ? {} : { text: element.text }),
  }
}

// XML 1.0 Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
const INVALID_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

function assertXmlChars(text: string): void {
  const match = INVALID_XML_CHAR.exec(text)
  if (match) throw new XmlCharacterError(match[0].codePointAt(0) ?? 0)
}

/** Replaces characters XML 1.0 cannot carry with '?', for texts that must never fail (fault strings). */
export function sanitizeXmlText(text: string): string {
  return text.replace(new RegExp(INVALID_XML_CHAR.source, 'gu'), '?')
}

const ATTR_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
}

export function escapeAttr(value: string): string {
  assertXmlChars(value)
  return value.replace(/[&<>"\t\n\r]/g, (ch) => ATTR_ESCAPES[ch] ?? ch)
}

export function escapeText(value: string): string {
  assertXmlChars(value)
  return value.replace(/[&<>\r]/g, (ch) => (ch === '\r' ? '&#xD;' : (ATTR_ESCAPES[ch] ?? ch)))
}

function writeAttrs(element: XmlElement): string {
  return element.attrs.map(([key, value]) => ` ${key}="${typeof value === 'string' ? escapeAttr(value) : value.raw}"`).join('')
}

/** Serializes on one line, `<a x="1" />` for empty elements (the .NET spelling). */
export function serialize(element: XmlElement): string {
  const start = `<${element.name}${writeAttrs(element)}`
  if (element.children.length === 0) {
    return element.text === undefined || element.text === '' ? `${start} />` : `${start}>${escapeText(element.text)}</${element.name}>`
  }
  return `${start}>${element.children.map(serialize).join('')}</${element.name}>`
}

/** Serializes indented by two spaces per level, as XmlSerializer does for GET/POST answers. */
export function serializeIndented(element: XmlElement, depth = 0): string {
  const pad = '  '.repeat(depth)
  const start = `${pad}<${element.name}${writeAttrs(element)}`
  if (element.children.length === 0) {
    return element.text === undefined || element.text === '' ? `${start} />` : `${start}>${escapeText(element.text)}</${element.name}>`
  }
  const inner = element.children.map((child) => serializeIndented(child, depth + 1)).join('\n')
  return `${start}>\n${inner}\n${pad}</${element.name}>`
}

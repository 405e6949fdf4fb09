import { SaxesParser, type SaxesTagNS } from 'saxes'

/** A namespace-aware element: what the decoders walk. Names are compared by (uri, local), never by prefix. */
export interface XmlElement {
  local: string
  uri: string
  attributes: XmlAttribute[]
  children: Array<XmlElement | string>
}
export interface XmlAttribute {
  local: string
  uri: string
  value: string
}

export const XMLNS_URI = 'http://www.w3.org/2000/xmlns/'
export const XSI_URI = 'http://www.w3.org/2001/XMLSchema-instance'

export class XmlSyntaxError extends Error {
  readonly line: number
  readonly column: number
  constructor(message: string, line: number, column: number) {
    super(message)
    this.name = 'XmlSyntaxError'
    this.line = line
    this.column = column
  }
}

/** A document past one of XML_LIMITS: refused for its size, whether or not it is well-formed. */
export class XmlLimitError extends XmlSyntaxError {
  constructor(message: string, line: number, column: number) {
    super(message, line, column)
    this.name = 'XmlLimitError'
  }
}

/**
 * Far beyond any real answer; a hostile one must not cost minutes of CPU (saxes is quadratic in depth) or GBs of tree
 * (an element with 400,000 attributes in a 4.6 MB answer became 1.6 GB of memory and a 100 MB report downstream).
 */
export const XML_LIMITS = { maxDepth: 100, maxElements: 100_000, maxAttributes: 100_000, maxAttributesPerElement: 1_000 }

/** Thrown from a handler to stop saxes at once: the parse is already lost. */
class Stop extends Error {}

/**
 * Strict, namespace-aware parse (saxes): unbound prefixes, two roots, duplicate attributes and
 * undefined entities are errors. A DOCTYPE is refused outright, which also shuts out entity tricks.
 * Nesting deeper than XML_LIMITS.maxDepth, more than maxElements elements or more attributes than allowed (per element,
 * in all) stop the parse.
 */
export function parseXml(text: string): XmlElement {
  // Building a SaxesParser costs about as much as parsing a small answer; one that finished cleanly is reset by its
  // close() and serves the next parse (parsing is synchronous, so parses never share one).
  const tree = spare ?? new TreeParse()
  spare = undefined
  const root = tree.parse(text)
  spare = tree
  return root
}

let spare: TreeParse | undefined

class TreeParse {
  private readonly parser = new SaxesParser({ xmlns: true, position: true })
  private stack: XmlElement[] = []
  private root: XmlElement | undefined
  private elements = 0
  private attributes = 0
  private elementAttributes = 0
  private failure: XmlSyntaxError | undefined

  constructor() {
    const parser = this.parser
    parser.on('error', (e) => this.fail(e.message))
    parser.on('doctype', () => this.stop('a DOCTYPE is not allowed'))
    // Counted as saxes reads them, before it builds the element: a flood stops at the limit, not at the tag's end.
    parser.on('opentagstart', () => {
      this.elementAttributes = 0
    })
    parser.on('attribute', () => {
      if (++this.elementAttributes > XML_LIMITS.maxAttributesPerElement)
        this.stop(`an element with more than ${XML_LIMITS.maxAttributesPerElement} attributes`, true)
      if (++this.attributes > XML_LIMITS.maxAttributes) this.stop(`more than ${XML_LIMITS.maxAttributes} attributes`, true)
    })
    parser.on('opentag', (tag: SaxesTagNS) => {
      const stack = this.stack
      if (stack.length >= XML_LIMITS.maxDepth) this.stop(`elements nested deeper than ${XML_LIMITS.maxDepth} levels`, true)
      if (++this.elements > XML_LIMITS.maxElements) this.stop(`more than ${XML_LIMITS.maxElements} elements`, true)
      const el: XmlElement = {
        local: tag.local,
        uri: tag.uri,
        attributes: Object.values(tag.attributes).map((a) => ({ local: a.local, uri: a.uri, value: a.value })),
        children: [],
      }
      const parent = stack[stack.length - 1]
      if (parent) parent.children.push(el)
      else this.root = el
      stack.push(el)
    })
    parser.on('text', (t) => {
      this.stack[this.stack.length - 1]?.children.push(t)
    })
    parser.on('cdata', (t) => {
      this.stack[this.stack.length - 1]?.children.push(t)
    })
    parser.on('closetag', () => {
      this.stack.pop()
    })
  }

  /** Throws XmlSyntaxError; after a failed parse this object is not reused (parseXml drops it). */
  parse(text: string): XmlElement {
    this.stack = []
    this.root = undefined
    this.elements = 0
    this.attributes = 0
    this.failure = undefined
    try {
      this.parser.write(text).close()
    } catch (e) {
      this.fail((e as Error).message)
    }
    if (this.failure) throw this.failure
    if (!this.root) throw new XmlSyntaxError('no root element', 1, 1)
    const root = this.root
    this.stack = []
    this.root = undefined
    return root
  }

  private fail(message: string, limit = false): void {
    this.failure ??= new (limit ? XmlLimitError : XmlSyntaxError)(message, this.parser.line, this.parser.column)
  }

  private stop(message: string, limit = false): never {
    this.fail(message, limit)
    throw new Stop(message)
  }
}

export function childElements(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string')
}

export function textOf(el: XmlElement): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('')
}

export function attribute(el: XmlElement, local: string, uri = ''): string | undefined {
  return el.attributes.find((a) => a.local === local && a.uri === uri)?.value
}

export function isNilElement(el: XmlElement): boolean {
  const v = attribute(el, 'nil', XSI_URI)
  return v === 'true' || v === '1'
}

/**
 * Rewrites of an answer's XML that keep its meaning (the same elements and attributes in the same
 * namespaces, the same text): other prefixes, a default namespace, other declarations, attribute order,
 * insignificant white space, and the spellings of a write style. Each is a pure function on the tree.
 */
import { escapeAttr, escapeText } from '../asmx/xml.ts'
import { attrValue, elementChildren, isElement, isText, localOf, prefixOf, type RChild, type RElement } from './xml-doc.ts'

export type Rewrite = (root: RElement) => RElement

const SOAP_ENVELOPES = new Set(['http://schemas.xmlsoap.org/soap/envelope/', 'http://www.w3.org/2003/05/soap-envelope'])
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance'
const XSD_NS = 'http://www.w3.org/2001/XMLSchema'

/** The envelope's prefix and namespace, when the root is a SOAP envelope written with a prefix. */
function envelopeOf(root: RElement): { prefix: string; ns: string } | undefined {
  const prefix = prefixOf(root.name)
  const ns = attrValue(root, prefix === '' ? 'xmlns' : `xmlns:${prefix}`)
  return localOf(root.name) === 'Envelope' && ns !== undefined && SOAP_ENVELOPES.has(ns) ? { prefix, ns } : undefined
}

const renamed = (name: string, from: string, to: string): string => (prefixOf(name) === from ? (to === '' ? localOf(name) : `${to}:${localOf(name)}`) : name)

/** Whether an element's text is a fault code QName (SOAP 1.1 `faultcode`, SOAP 1.2 `Code/Value`, `Subcode/Value`). */
const holdsFaultCode = (element: RElement, parent: RElement | undefined): boolean =>
  localOf(element.name) === 'faultcode' || (localOf(element.name) === 'Value' && parent !== undefined && ['Code', 'Subcode'].includes(localOf(parent.name)))

function withQNameText(element: RElement, from: string, to: string): RElement {
  return {
    ...element,
    children: element.children.map((c) => (isText(c) && c.text.startsWith(`${from}:`) ? { text: `${to}:${c.text.slice(from.length + 1)}` } : c)),
  }
}

/**
 * The envelope's elements under another prefix (`s:`, `SOAP-ENV:`, `env:`), its declaration and the fault
 * code QNames with them. With `to` = '' the envelope's namespace becomes the default namespace: the
 * unqualified fault children (and detail content) then say `xmlns=""`, and the old prefix stays declared
 * for the fault code QNames that use it.
 */
export const envelopePrefix =
  (to: string): Rewrite =>
  (root) => {
    const envelope = envelopeOf(root)
    if (envelope === undefined || envelope.prefix === '' || envelope.prefix === to) return root
    const from = envelope.prefix
    const walk = (element: RElement, parent: RElement | undefined, origDefault: string, newDefault: string, isRoot: boolean): RElement => {
      if (!isRoot && element.attrs.some(([n]) => n === `xmlns:${from}`)) return element
      const ownDefault = attrValue(element, 'xmlns')
      let attrs = element.attrs
      let childOrig = ownDefault ?? origDefault
      let childNew = ownDefault ?? newDefault
      if (isRoot) {
        attrs =
          to === '' ? [['xmlns', envelope.ns], ...attrs] : attrs.map(([n, v]) => [n === `xmlns:${from}` ? `xmlns:${to}` : renamed(n, from, to), v] as const)
        childOrig = ''
        childNew = to === '' ? envelope.ns : ''
      } else if (to !== '') {
        attrs = attrs.map(([n, v]) => [renamed(n, from, to), v] as const)
      } else if (prefixOf(element.name) === '' && ownDefault === undefined && origDefault !== newDefault) {
        attrs = [...attrs, ['xmlns', origDefault]]
        childNew = origDefault
      }
      // Unprefixed, an envelope element is in the envelope's namespace only where that is the default.
      const name = to === '' && newDefault !== envelope.ns && !isRoot ? element.name : renamed(element.name, from, to)
      const children = element.children.map((c) => (isElement(c) ? walk(c, element, childOrig, childNew, false) : c))
      const next: RElement = { name, attrs, children }
      return to !== '' && holdsFaultCode(element, parent) ? withQNameText(next, from, to) : next
    }
    return walk(root, undefined, '', '', true)
  }

/**
 * Content in a default namespace declared below the envelope (`<UserUpdateResponse xmlns="ns">…`) written
 * with a prefix instead (`<m:UserUpdateResponse xmlns:m="ns">…`); a `xmlns=""` that becomes redundant goes.
 */
export const prefixedContent =
  (prefix: string): Rewrite =>
  (root) => {
    const walk = (element: RElement, origDefault: string, newDefault: string, isRoot: boolean): RElement => {
      const own = attrValue(element, 'xmlns')
      let attrs = element.attrs
      let orig = origDefault
      let now = newDefault
      if (own !== undefined) {
        orig = own
        if (own !== '' && !isRoot && !SOAP_ENVELOPES.has(own)) {
          attrs = [[`xmlns:${prefix}`, own], ...attrs.filter(([n]) => n !== 'xmlns')]
        } else if (own === newDefault || (own === '' && newDefault === '')) {
          attrs = attrs.filter(([n]) => n !== 'xmlns')
        } else {
          now = own
        }
      }
      const inScope = !isRoot && prefixOf(element.name) === '' && orig !== '' && orig !== now && !SOAP_ENVELOPES.has(orig)
      const name = inScope ? `${prefix}:${element.name}` : element.name
      const children = element.children.map((c) => (isElement(c) ? walk(c, orig, now, false) : c))
      return { name, attrs, children }
    }
    return walk(root, '', '', true)
  }

function usesPrefix(element: RElement, prefix: string): boolean {
  const text = `${prefix}:`
  return (
    prefixOf(element.name) === prefix ||
    element.attrs.some(([n, v]) => prefixOf(n) === prefix || v.startsWith(text)) ||
    element.children.some((c) => (isElement(c) ? usesPrefix(c, prefix) : isText(c) && c.text.trim().startsWith(text)))
  )
}

/** The envelope's `xmlns:xsi` and `xmlns:xsd` left out when nothing uses them. */
export const unusedDeclarationsDropped: Rewrite = (root) => {
  const drop = ['xsi', 'xsd'].filter((p) => !elementChildren(root).some((c) => usesPrefix(c, p)) && !root.attrs.some(([n]) => prefixOf(n) === p))
  return { ...root, attrs: root.attrs.filter(([n]) => !drop.some((p) => n === `xmlns:${p}`)) }
}

/**
 * `xmlns:xsi` and `xmlns:xsd` declared again on every element that declares a default namespace (as
 * XmlSerializer writes a serialized root), and on the root an unused declaration.
 */
export const redundantDeclarations: Rewrite = (root) => {
  const add = (element: RElement, isRoot: boolean): RElement => {
    const children = element.children.map((c) => (isElement(c) ? add(c, false) : c))
    const declares = attrValue(element, 'xmlns') !== undefined || isRoot
    const extra: Array<readonly [string, string]> = declares
      ? [
          ...(attrValue(element, 'xmlns:xsi') === undefined ? [['xmlns:xsi', XSI_NS] as const] : []),
          ...(attrValue(element, 'xmlns:xsd') === undefined ? [['xmlns:xsd', XSD_NS] as const] : []),
          ...(isRoot ? [['xmlns:unused', 'urn:conform-reference:unused'] as const] : []),
        ]
      : []
    return { ...element, attrs: [...extra, ...element.attrs], children }
  }
  return add(root, true)
}

export const attributesReversed: Rewrite = (root) => {
  const walk = (element: RElement): RElement => ({
    ...element,
    attrs: [...element.attrs].reverse(),
    children: element.children.map((c) => (isElement(c) ? walk(c) : c)),
  })
  return walk(root)
}

/** The envelope's child `local` (e.g. Body), with its index. */
function envelopeChild(root: RElement, local: string): number {
  return root.children.findIndex((c) => isElement(c) && localOf(c.name) === local)
}

/** An empty `<soap:Header />` before the Body when the answer has no header. */
export const emptyHeader: Rewrite = (root) => {
  const envelope = envelopeOf(root)
  if (envelope === undefined || envelopeChild(root, 'Header') >= 0) return root
  const body = envelopeChild(root, 'Body')
  if (body < 0) return root
  const header: RElement = { name: envelope.prefix === '' ? 'Header' : `${envelope.prefix}:Header`, attrs: [], children: [] }
  return { ...root, children: [...root.children.slice(0, body), header, ...root.children.slice(body)] }
}

/** The Fault element of an envelope, with a function that puts a replacement in its place. */
function faultOf(root: RElement): { fault: RElement; replace: (fault: RElement) => RElement } | undefined {
  const bodyIndex = envelopeChild(root, 'Body')
  const body = root.children[bodyIndex] as RElement | undefined
  if (body === undefined) return undefined
  const faultIndex = body.children.findIndex((c) => isElement(c) && localOf(c.name) === 'Fault')
  if (faultIndex < 0) return undefined
  const fault = body.children[faultIndex] as RElement
  return {
    fault,
    replace: (next) => {
      const children = [...body.children]
      children[faultIndex] = next
      const rootChildren = [...root.children]
      rootChildren[bodyIndex] = { ...body, children }
      return { ...root, children: rootChildren }
    },
  }
}

const mapChildren = (element: RElement, f: (child: RElement) => RElement): RElement => ({
  ...element,
  children: element.children.map((c) => (isElement(c) ? f(c) : c)),
})

/** The fault code QName written with a prefix of its own, declared on the element that holds it. */
export const faultCodeOwnPrefix: Rewrite = (root) => {
  const envelope = envelopeOf(root)
  const found = faultOf(root)
  if (envelope === undefined || found === undefined) return root
  const own = (element: RElement): RElement => {
    const text = element.children.find(isText)?.text ?? ''
    if (!text.startsWith(`${envelope.prefix}:`)) return element
    return { ...element, attrs: [...element.attrs, ['xmlns:fc', envelope.ns]], children: [{ text: `fc:${localOf(text)}` }] }
  }
  const fault = mapChildren(found.fault, (child) => {
    if (localOf(child.name) === 'faultcode') return own(child)
    if (localOf(child.name) === 'Code') return mapChildren(child, (v) => (localOf(v.name) === 'Value' ? own(v) : v))
    return child
  })
  return found.replace(fault)
}

const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope'
const ULTIMATE_RECEIVER = 'http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver'
const FAULT_ACTOR = 'urn:conform-reference:service'

/**
 * The optional fault parts: SOAP 1.1 `faultactor` (after faultstring); SOAP 1.2 a `Subcode` under the
 * code and a `Role` after the Reason.
 */
export const faultOptionalParts: Rewrite = (root) => {
  const envelope = envelopeOf(root)
  const found = faultOf(root)
  if (envelope === undefined || found === undefined) return root
  const q = (local: string): string => (envelope.prefix === '' ? local : `${envelope.prefix}:${local}`)
  const children: RChild[] = []
  for (const child of found.fault.children) {
    if (!isElement(child)) {
      children.push(child)
      continue
    }
    const local = localOf(child.name)
    if (envelope.ns === SOAP12_NS && local === 'Code') {
      const subcode: RElement = {
        name: q('Subcode'),
        attrs: [],
        children: [{ name: q('Value'), attrs: [['xmlns:sub', 'urn:conform-reference:faults']], children: [{ text: 'sub:Rejected' }] }],
      }
      children.push({ ...child, children: [...child.children, subcode] })
      continue
    }
    children.push(child)
    if (envelope.ns !== SOAP12_NS && local === 'faultstring') children.push({ name: 'faultactor', attrs: [], children: [{ text: FAULT_ACTOR }] })
    if (envelope.ns === SOAP12_NS && local === 'Reason') children.push({ name: q('Role'), attrs: [], children: [{ text: ULTIMATE_RECEIVER }] })
  }
  return found.replace({ ...found.fault, children })
}

/** A SOAP 1.2 fault's empty `<soap:Detail />` left out (Detail is optional in SOAP 1.2). */
export const emptyDetailOmitted: Rewrite = (root) => {
  const envelope = envelopeOf(root)
  const found = faultOf(root)
  if (envelope?.ns !== SOAP12_NS || found === undefined) return root
  const isEmptyDetail = (c: RChild): boolean => isElement(c) && localOf(c.name) === 'Detail' && elementChildren(c).length === 0
  return found.replace({ ...found.fault, children: found.fault.children.filter((c) => !isEmptyDetail(c)) })
}

/** Every `xml:lang` says `lang` (SOAP 1.2 Reason texts). */
export const langSpelled =
  (lang: string): Rewrite =>
  (root) => {
    const walk = (element: RElement): RElement => ({
      ...element,
      attrs: element.attrs.map(([n, v]) => [n, n === 'xml:lang' ? lang : v] as const),
      children: element.children.map((c) => (isElement(c) ? walk(c) : c)),
    })
    return walk(root)
  }

/** White-space text between the children of an element that has child elements left out (it carries nothing). */
export const insignificantSpaceStripped: Rewrite = (root) => {
  const walk = (element: RElement): RElement => {
    const hasElements = element.children.some(isElement)
    const children = element.children.filter((c) => !(hasElements && isText(c) && c.text.trim() === '')).map((c) => (isElement(c) ? walk(c) : c))
    return { ...element, children }
  }
  return walk(root)
}

/** Element-only content indented by `unit` per level, lines ended by `newline` (text content untouched). */
export const indented =
  (unit: string, newline: string): Rewrite =>
  (root) => {
    const walk = (element: RElement, depth: number): RElement => {
      const stripped = insignificantSpaceStripped(element)
      if (stripped.children.length === 0 || !stripped.children.every(isElement)) {
        return { ...stripped, children: stripped.children.map((c) => (isElement(c) ? walk(c, depth + 1) : c)) }
      }
      const pad = (d: number): RChild => ({ space: `${newline}${unit.repeat(d)}` })
      const children = stripped.children.flatMap((c) => [pad(depth + 1), walk(c as RElement, depth + 1)])
      return { ...stripped, children: [...children, pad(depth)] }
    }
    return walk(root, 0)
  }

// Write styles: the same document, other spellings.

/** Every character of text content but white space as a decimal character reference (`a` → `&#97;`). */
export const decimalCharRefs = (text: string): string => Array.from(text, (ch) => (/\s/.test(ch) && ch !== '\r' ? ch : `&#${ch.codePointAt(0)};`)).join('')

/** Every character of an attribute value as a hexadecimal character reference. */
export const hexCharRefAttr = (name: string, value: string): string =>
  ` ${name}="${Array.from(value, (ch) => `&#x${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()};`).join('')}"`

/**
 * Text that is not white space only in CDATA sections (`]]>` split across two sections; a CR, which a
 * CDATA section cannot carry through end-of-line handling, as `&#xD;` between them).
 */
export function cdataText(text: string): string {
  if (text.trim() === '') return escapeText(text)
  return text
    .split('\r')
    .map((piece) => (piece === '' ? '' : `<![CDATA[${piece.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`))
    .join('&#xD;')
}

export const singleQuotedAttr = (name: string, value: string): string => ` ${name}='${escapeAttr(value).replaceAll("'", '&apos;')}'`

export const emptyAsPair = (start: string, name: string): string => `${start}></${name}>`

/** A comment at the start of every element that has child elements (never inside text). */
export const commentsAdded =
  (comment: string): Rewrite =>
  (root) => {
    const walk = (element: RElement): RElement => {
      const children = element.children.map((c) => (isElement(c) ? walk(c) : c))
      return element.children.some(isElement) ? { ...element, children: [{ comment }, ...children] } : { ...element, children }
    }
    return walk(root)
  }

/** A header block the client does not know and need not understand (no mustUnderstand), in the answer's SOAP Header. */
export const extraHeaderBlock: Rewrite = (root) => {
  const envelope = envelopeOf(root)
  if (envelope === undefined) return root
  const block: RElement = {
    name: 'ref:ServerInfo',
    attrs: [['xmlns:ref', 'urn:conform-reference:info']],
    children: [{ name: 'ref:Node', attrs: [], children: [{ text: 'reference-1' }] }],
  }
  const withHeader = emptyHeader(root)
  const index = envelopeChild(withHeader, 'Header')
  const header = withHeader.children[index] as RElement
  const children = [...withHeader.children]
  children[index] = { ...header, children: [...header.children, block] }
  return { ...withHeader, children }
}

/** SOAP 1.2 fault reasons in two languages: a German text before the English one. */
export const reasonInTwoLanguages =
  (german: string): Rewrite =>
  (root) => {
    const envelope = envelopeOf(root)
    const found = faultOf(root)
    if (envelope?.ns !== SOAP12_NS || found === undefined) return root
    const q = (local: string): string => (envelope.prefix === '' ? local : `${envelope.prefix}:${local}`)
    const fault = mapChildren(found.fault, (child) =>
      localOf(child.name) === 'Reason'
        ? { ...child, children: [{ name: q('Text'), attrs: [['xml:lang', 'de']], children: [{ text: german }] }, ...child.children] }
        : child,
    )
    return found.replace(fault)
  }

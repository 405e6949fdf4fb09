import { childElements, isNilElement, XMLNS_URI, XSI_URI, type XmlElement } from './tree.ts'

/**
 * Turns an element into the plain value that expectations and ajv schemas see:
 * attributes and child elements become keys (local names), repeated children become arrays,
 * an element with nothing but text becomes that text, xsi:nil="true" becomes null.
 * Mixed text beside attributes or children is kept under `$text`.
 */
export function toValue(el: XmlElement): unknown {
  if (isNilElement(el)) return null
  const out: Record<string, unknown> = {}
  let hasKeys = false
  for (const a of el.attributes) {
    if (a.uri === XMLNS_URI || a.uri === XSI_URI || (a.uri === '' && a.local === 'xmlns')) continue
    out[a.local] = a.value
    hasKeys = true
  }
  for (const child of childElements(el)) {
    const v = toValue(child)
    const prev = out[child.local]
    if (prev === undefined) out[child.local] = v
    else if (Array.isArray(prev) && (prev as unknown[] & { $repeated?: true }).$repeated) prev.push(v)
    else out[child.local] = Object.assign([prev, v], { $repeated: true as const })
    hasKeys = true
  }
  const text = el.children.filter((c): c is string => typeof c === 'string').join('')
  if (!hasKeys) return text
  if (text.trim()) out.$text = text
  return stripMarks(out)
}

function stripMarks(o: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(o)) if (Array.isArray(v)) o[k] = [...v]
  return o
}

import { describe, expect, test } from 'vitest'
import { childElements, parseXml, XML_LIMITS, XmlSyntaxError } from '../../src/xml/tree.ts'

// parseXml reuses its saxes parser after a clean parse: nothing of one document may reach the next.
describe('parseXml, one document after another', () => {
  test('a prefix bound in one document is unbound in the next', () => {
    const first = parseXml('<a:r xmlns:a="urn:one"><a:c>1</a:c></a:r>')
    expect(first).toMatchObject({ local: 'r', uri: 'urn:one' })
    expect(() => parseXml('<a:r><a:c>1</a:c></a:r>')).toThrow(/unbound|prefix/i)
    expect(parseXml('<r xmlns="urn:two"><c/></r>').uri).toBe('urn:two')
    expect(parseXml('<r><c/></r>').uri).toBe('')
  })

  test('each document is parsed from its own start: line, column, elements and text', () => {
    parseXml('<r>\n\n\n<c>x</c></r>')
    try {
      parseXml('<r>\n<c></r>')
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(XmlSyntaxError)
      expect((e as XmlSyntaxError).line).toBe(2)
    }
    const r = parseXml('<r><c>one</c><c>two</c></r>')
    expect(childElements(r).map((c) => c.children)).toEqual([['one'], ['two']])
  })

  test('the element limit counts per document', () => {
    const big = `<r>${'<e/>'.repeat(XML_LIMITS.maxElements - 1)}</r>`
    expect(childElements(parseXml(big))).toHaveLength(XML_LIMITS.maxElements - 1)
    expect(childElements(parseXml(big))).toHaveLength(XML_LIMITS.maxElements - 1)
  })

  test('a refused document (DOCTYPE, too deep, too many elements, two roots, garbage) leaves the next one unharmed', () => {
    const good = '<r xmlns="urn:x"><c a="1">t</c></r>'
    const want = parseXml(good)
    const bad = [
      '<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>',
      `${'<d>'.repeat(XML_LIMITS.maxDepth + 1)}${'</d>'.repeat(XML_LIMITS.maxDepth + 1)}`,
      `<r>${'<e/>'.repeat(XML_LIMITS.maxElements)}</r>`,
      '<r/><r/>',
      '<r',
      'not xml',
      '',
    ]
    for (const b of bad) {
      expect(() => parseXml(b), b.slice(0, 40)).toThrow(XmlSyntaxError)
      expect(parseXml(good)).toEqual(want)
    }
  })
})

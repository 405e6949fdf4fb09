import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { jsonExtent, MAX_JSON_VALUES, restJson } from '../../src/bindings/rest-json.ts'
import { parseAnswerXml } from '../../src/bindings/xml-answer.ts'
import type { WireAnswer } from '../../src/bindings/types.ts'
import { childElements, parseXml, XML_LIMITS, XmlLimitError } from '../../src/xml/tree.ts'

/**
 * Decoded answers are bounded by counts as well as bytes and depth: a few MB of attributes or keys would otherwise
 * become GBs of tree, schema errors and report. An answer past a limit is a failed check (X-1), never a crash.
 */

const attrs = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ` a${from + i}="1"`).join('')

describe('XML attributes', () => {
  test(`an element may have ${XML_LIMITS.maxAttributesPerElement} attributes, not one more`, () => {
    expect(parseXml(`<r${attrs(XML_LIMITS.maxAttributesPerElement)}/>`).attributes).toHaveLength(XML_LIMITS.maxAttributesPerElement)
    expect(() => parseXml(`<r${attrs(XML_LIMITS.maxAttributesPerElement + 1)}/>`)).toThrow(XmlLimitError)
    expect(() => parseXml(`<r${attrs(XML_LIMITS.maxAttributesPerElement + 1)}/>`)).toThrow(/more than 1000 attributes/)
  })

  test(`a document may have ${XML_LIMITS.maxAttributes} attributes in all, not one more; the count is per document`, () => {
    const per = XML_LIMITS.maxAttributesPerElement
    const elements = XML_LIMITS.maxAttributes / per
    const full = `<r>${Array.from({ length: elements }, () => `<e${attrs(per)}/>`).join('')}</r>`
    expect(childElements(parseXml(full))).toHaveLength(elements)
    expect(childElements(parseXml(full))).toHaveLength(elements)
    expect(() => parseXml(full.replace('<r>', '<r x="1">'))).toThrow(/more than 100000 attributes/)
    expect(parseXml('<r a="1"/>').attributes).toEqual([{ local: 'a', uri: '', value: '1' }])
  })

  test('an attribute flood is stopped where the limit is passed, not at the end of the tag', () => {
    const flood = `<r${attrs(400_000)}/>`
    try {
      parseXml(flood)
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(XmlLimitError)
      // The parse stopped on the first line, within the first thousand-and-one attributes (~9 bytes each).
      expect((e as XmlLimitError).column).toBeLessThan(12 * (XML_LIMITS.maxAttributesPerElement + 1))
    }
  })

  test('an answer past a limit is an X-1 problem that says which limit, not "not well-formed"', () => {
    const parsed = parseAnswerXml(`<r${attrs(XML_LIMITS.maxAttributesPerElement + 1)}/>`)
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.problem).toMatchObject({ behaviours: ['X-1'], code: 'XML_TOO_LARGE' })
    expect(parsed.problem.message).toMatch(/refused .*more than 1000 attributes/)
    const broken = parseAnswerXml('<r a="1" a="2"/>')
    expect(broken.ok || broken.problem.code).toBe('NOT_WELL_FORMED')
  })
})

describe('JSON values', () => {
  const answer = (body: string): WireAnswer => ({ status: 200, headers: { 'content-type': 'application/json' }, body })
  const decode = (body: string) => restJson.decode(answer(body), { operation: 'UpdateUser', namespace: '' })
  const wide = (keys: number) => `{${Array.from({ length: keys }, (_, i) => `"k${i}":0`).join(',')}}`

  test(`an answer of ${MAX_JSON_VALUES} values decodes; one more is undecodable (TOO_MANY_VALUES)`, () => {
    // The object itself is one value, each key's value another.
    expect(decode(wide(MAX_JSON_VALUES - 1)).kind).toBe('answer')
    const over = decode(wide(MAX_JSON_VALUES))
    expect(over.kind).toBe('undecodable')
    expect(over.problems).toEqual([expect.objectContaining({ code: 'TOO_MANY_VALUES', behaviours: ['X-1'] })])
    expect(over.kind === 'undecodable' && over.reason).toMatch(/more than 100000 values/)
  })

  test('values are counted across nesting and arrays (a wide array, objects in arrays)', () => {
    expect(decode(`[${Array(MAX_JSON_VALUES).fill(0).join(',')}]`).kind).toBe('undecodable')
    expect(
      decode(
        `{"data":[${Array(MAX_JSON_VALUES / 2)
          .fill('{"a":1}')
          .join(',')}]}`,
      ).kind,
    ).toBe('undecodable')
    expect(
      decode(
        `{"data":[${Array(MAX_JSON_VALUES / 4)
          .fill('{"a":1}')
          .join(',')}]}`,
      ).kind,
    ).toBe('answer')
    expect(decode('{"success":"true","data":{"userId":1}}')).toMatchObject({ kind: 'answer', problems: [] })
  })

  test('the scan counts as a walk of the parsed value does (fast-check: any JSON, any spacing)', () => {
    const walk = (v: unknown, d = 1): { depth: number; values: number } => {
      if (v === null || typeof v !== 'object') return { depth: 0, values: 1 }
      const inner = Object.values(v).map((x) => walk(x, d + 1))
      return { depth: 1 + Math.max(0, ...inner.map((i) => i.depth)), values: 1 + inner.reduce((n, i) => n + i.values, 0) }
    }
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (v, space) => {
        expect(jsonExtent(JSON.stringify(v, null, space))).toEqual(walk(v))
      }),
      { seed: 20261122, numRuns: 2000 },
    )
  })

  test('too deep is still its own problem', () => {
    expect(decode(`${'['.repeat(200)}${']'.repeat(200)}`).problems[0]?.code).toBe('TOO_DEEP')
  })
})

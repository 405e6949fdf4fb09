import { describe, expect, test } from 'vitest'
import { checkOutcome, checkState, matches } from '../../src/engine/expectations.ts'
import { scanAnswer } from '../../src/engine/leaks.ts'
import { evaluate, ExpressionError, parseTemplate } from '../../src/expr.ts'
import { base, en, Faker } from '@faker-js/faker'
import { FAKE_GENERATORS, fakeSource, seedFor, sfc32Randomizer } from '../../src/fake.ts'
import { Redactor } from '../../src/redact.ts'

describe('${…} evaluator', () => {
  const scope = (path: string[]) => (({ jane: { email: 'j@x.io', n: 3 }, vars: { a: 'A' } }) as Record<string, Record<string, unknown>>)[path[0]!]?.[path[1]!]
  test('a whole reference keeps its value; interpolation joins text; $${ is a literal', () => {
    expect(evaluate(parseTemplate('${jane.n}'), scope)).toBe(3)
    expect(evaluate(parseTemplate('to: ${jane.email} (${vars.a})'), scope)).toBe('to: j@x.io (A)')
    expect(evaluate(parseTemplate('$${jane.email}'), scope)).toBe('${jane.email}')
  })
  test('mistakes carry their offset; no operators, no calls', () => {
    for (const bad of ['x ${jane.email', '${}', '${a + b}', '${f()}', '${env:1X}']) expect(() => parseTemplate(bad)).toThrow(ExpressionError)
    try {
      parseTemplate('abc ${x')
    } catch (e) {
      expect((e as ExpressionError).offset).toBe(4)
    }
  })
  test('a reference with no value is an error, not "undefined" in the request', () => {
    expect(() => evaluate(parseTemplate('${jane.phone}'), scope)).toThrow(/has no value/)
  })
})

describe('seeded fake data', () => {
  test('the same seed gives the same values; another seed other values', () => {
    const a = fakeSource(seedFor(42, 'check@soap11'))
    const b = fakeSource(seedFor(42, 'check@soap11'))
    const c = fakeSource(seedFor(43, 'check@soap11'))
    const take = (f: typeof a) => [f('email'), f('userName'), f('mobile')]
    const first = take(a)
    expect(take(b)).toEqual(first)
    expect(take(c)).not.toEqual(first)
    expect(first[2]).toMatch(/^07\d{9}$/)
  })

  test('sources used in turn draw exactly what a Faker of their own would', () => {
    const names = ['email', 'userName', 'password', 'firstName', 'city', 'flag'] as const
    const own = (seed: number) => {
      const f = new Faker({ locale: [en, base], randomizer: sfc32Randomizer(seed) })
      return names.map((n) => FAKE_GENERATORS[n](f, 0))
    }
    const [a, b] = [fakeSource(1), fakeSource(2)]
    const drawn: Record<number, string[]> = { 1: [], 2: [] }
    for (const n of names) {
      drawn[1]!.push(a(n))
      drawn[2]!.push(b(n))
    }
    expect(drawn[1]).toEqual(own(1))
    expect(drawn[2]).toEqual(own(2))
  })

  test('the randomizer: [0, 1), repeatable, seed-sensitive and evenly spread', () => {
    const draw = (seed: number | number[], n: number) => {
      const r = sfc32Randomizer(0)
      r.seed(seed)
      return Array.from({ length: n }, () => r.next())
    }
    expect(draw(7, 50)).toEqual(draw(7, 50))
    expect(draw(7, 50)).not.toEqual(draw(8, 50))
    expect(draw([1, 2], 50)).not.toEqual(draw([2, 1], 50))
    const xs = draw(42, 100_000)
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
    const deciles = new Array(10).fill(0)
    for (const x of xs) deciles[Math.floor(x * 10)]++
    for (const d of deciles) expect(Math.abs(d - 10_000)).toBeLessThan(500)
    expect(new Set(xs).size).toBeGreaterThan(99_990)
  })
})

describe('expectations', () => {
  const at = () => 'spec.yaml:1:1'
  const answer = (value: unknown) => ({ kind: 'answer' as const, value, status: 200, contentType: 'text/xml', problems: [] })
  test('matchers', () => {
    expect(matches('x', 'x')).toBe(true)
    expect(matches({ startsWith: '[900]' }, '[900] Authentication failed')).toBe(true)
    expect(matches({ oneOf: ['a', 'b'] }, 'c')).toBe(false)
    expect(matches({ pattern: '^\\d+$' }, '12')).toBe(true)
    expect(matches(null, null)).toBe(true)
  })
  test('a mismatch says expected, got and where', () => {
    expect(checkOutcome({ response: { error: '' } }, answer({ error: 'Access denied' }), at)).toEqual([
      'expected error = "" (spec.yaml:1:1), got "Access denied"',
    ])
    expect(checkOutcome({ fault: {} }, answer({}), at)[0]).toMatch(/expected a SOAP fault .* got an answer/)
  })
  test('state: named fields match, every other field is as before', () => {
    const before = { email: 'a', mobile: '1', name: 'n' }
    expect(checkState('jane', before, { email: 'b', mobile: '1', name: 'n' }, { email: 'b' }, at)).toEqual([])
    expect(checkState('jane', before, { email: 'b', mobile: '', name: 'n' }, { email: 'b' }, at)).toEqual(['expected jane.mobile unchanged at "1", got ""'])
  })
})

describe('leak scan (X-2, X-3)', () => {
  test('stack traces, exception names and server paths', () => {
    expect(scanAnswer('System.InvalidOperationException: Missing parameter', { passwords: [], tokens: [] })[0]?.behaviour).toBe('X-2')
    expect(scanAnswer('   at Foo.Bar(String x)', { passwords: [], tokens: [] })).toHaveLength(1)
    expect(scanAnswer('error in /home/app/server/db.ts', { passwords: [], tokens: [] })).toHaveLength(1)
    expect(scanAnswer('<response success="true" error=""/>', { passwords: [], tokens: [] })).toEqual([])
  })
  test('echoed credentials', () => {
    expect(scanAnswer('<u pwd="hunter22"/>', { passwords: ['hunter22'], tokens: [] })[0]?.behaviour).toBe('X-3')
  })
})

describe('redaction', () => {
  test('secrets go, in plain, URL-encoded and XML-escaped forms', () => {
    const r = new Redactor()
    r.add('p@ss&word+1')
    expect(r.redact('PWD=p%40ss%26word%2B1 and <p>p@ss&amp;word+1</p> and p@ss&word+1')).toBe('PWD=*** and <p>***</p> and ***')
    expect(r.redactValue({ a: ['x p@ss&word+1'] })).toEqual({ a: ['x ***'] })
  })

  // Every form a secret travels in, short secrets, and the scan against a plain search: test/safety/redact.test.ts.
  // Its speed (linear in the text, whatever the number of secrets) is measured in bench/redact.ts, not timed here.
})

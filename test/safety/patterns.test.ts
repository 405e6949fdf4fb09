import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { matches } from '../../src/engine/expectations.ts'
import { compile, runTest } from '../../src/spec/regex-nfa.ts'
import { parseRegex } from '../../src/spec/regex-parse.ts'
import { MATCH_BUDGET, MAX_PATTERN_STATES, matchableLength, patternProblem, patternTest } from '../../src/spec/safe-regex.ts'

/**
 * Spec patterns run on the suite's own linear-time matcher: the same answers as JavaScript's RegExp#test for every
 * pattern it accepts, at most (text length + 1) × states steps whatever the pattern and the text, and the patterns it
 * cannot run refused when specs load.
 */

const program = (pattern: string) => compile(parseRegex(pattern), MAX_PATTERN_STATES)

/** States visited matching `text`: the engine's work, counted rather than timed. */
function steps(pattern: string, text: string): { matched: boolean; steps: number; bound: number } {
  const p = program(pattern)
  const work = { steps: 0 }
  const matched = runTest(p, text, work)
  return { matched, steps: work.steps, bound: (text.length + 1) * p.states.length }
}

describe('catastrophic patterns run in linear time', () => {
  test.for([
    ['^(a+)+$', `${'a'.repeat(30)}b`],
    ['^(a|a)*$', `${'a'.repeat(30)}b`],
    ['^(a|aa)+$', `${'a'.repeat(30)}b`],
    ['(x+x+)+y', 'x'.repeat(5000)],
    ['^(\\w+\\s?)*$', `${'word '.repeat(2000)}!`],
    ['.*.*.*.*=.*', 'a'.repeat(10_000)],
  ])('%s against a text that makes a backtracking engine explode: no match, within (length + 1) × states steps', ([pattern, text]) => {
    const r = steps(pattern!, text!)
    expect(r.matched).toBe(false)
    expect(r.steps).toBeLessThanOrEqual(r.bound)
  })

  test("the step count grows linearly: ten times the text, at most ten times the steps (plus one text's worth)", () => {
    const short = steps('^(a+)+$', `${'a'.repeat(1000)}b`)
    const long = steps('^(a+)+$', `${'a'.repeat(10_000)}b`)
    expect(long.steps).toBeLessThanOrEqual(short.steps * 11)
  })

  test('the spec matcher uses it: the 30-character answer that hung a run is simply not a match', () => {
    expect(matches({ pattern: '^(a+)+$' }, `${'a'.repeat(30)}b`)).toBe(false)
    expect(matches({ pattern: '^(a+)+$' }, 'a'.repeat(30))).toBe(true)
  })

  test('a text longer than the budget allows does not match; one within it does', () => {
    const n = matchableLength('a$')
    expect(n).toBe(Math.min(1_000_000, Math.floor(MATCH_BUDGET / program('a$').states.length)))
    expect(patternTest('a$', `${'b'.repeat(n - 1)}a`)).toBe(true)
    expect(patternTest('a$', `${'b'.repeat(n)}a`)).toBe(false)
  })
})

describe('the same answers as RegExp#test', () => {
  test.for([
    ['.', ''],
    ['.', '\n'],
    ['.', '\u2028'],
    ['^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]00:00)$', '2024-01-02T03:04:05.123+00:00'],
    ['\\bfoo\\b', 'a foo'],
    ['\\Bfoo', 'afoo'],
    ['[^]', '\n'],
    ['[]', 'a'],
    ['^$', ''],
    ['a{2,3}$', 'baaa'],
    ['^a{2,3}$', 'aaaa'],
    ['(?<year>\\d{4})', '1999'],
    ['[\\d-z]', '-'],
    ['[\\w.]+@', 'x.y@'],
    ['\\x41\\u0042\\cJ', 'AB\n'],
    ['a{', 'a{'],
    ['a]}', 'a]}'],
    ['\\/\\.\\*\\\\', '/.*\\'],
    ['[\\b]', '\b'],
    ['\\s', '\u00a0'],
    ['\\S', '\ufeff'],
    ['x*?y??', ''],
    ['(|a)+b', 'b'],
    ['😀', '😀'],
    ['[😀]', '\ud83d'],
  ])('/%s/ on %j', ([pattern, text]) => {
    expect(patternProblem(pattern!)).toBeUndefined()
    expect(patternTest(pattern!, text!)).toBe(new RegExp(pattern!).test(text!))
  })

  test('generated patterns and texts (fast-check)', () => {
    const atom = fc.constantFrom('a', 'b', '-', '1', '.', '\\d', '\\w', '\\s', '\\D', '\\W', '[ab]', '[^a]', '[a-c1]', '[\\d-]', '[^\\s]', '\\.', '\\-')
    const assertion = fc.constantFrom('^', '$', '\\b', '\\B')
    const quantifier = fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,3}', '{0,}', '*?', '+?', '{0,2}?')
    const { alternation } = fc.letrec((tie) => ({
      // Nesting kept shallow: RegExp itself (the reference) backtracks exponentially on deep nested quantifiers.
      piece: fc.oneof(
        { maxDepth: 3, depthIdentifier: 'group' },
        { weight: 4, arbitrary: fc.tuple(atom, quantifier).map(([a, q]) => a + q) },
        { weight: 1, arbitrary: assertion },
        {
          weight: 1,
          arbitrary: fc.tuple(fc.constantFrom('(', '(?:'), tie('alternation'), quantifier).map(([open, body, q]) => `${open}${body as string})${q}`),
        },
      ),
      sequence: fc.array(tie('piece'), { maxLength: 4 }).map((items) => (items as string[]).join('')),
      alternation: fc.array(tie('sequence'), { minLength: 1, maxLength: 3 }).map((items) => (items as string[]).join('|')),
    }))
    const text = fc.array(fc.constantFrom('a', 'b', '-', '1', ' ', '\n', '_', '.'), { maxLength: 10 }).map((cs) => cs.join(''))
    fc.assert(
      fc.property(alternation, text, (pattern, t) => {
        // Deeply nested counts can spell out past the size limit: the one refusal a generated pattern may meet.
        const problem = patternProblem(pattern)
        if (problem) return void expect(problem.message).toMatch(/too large/)
        expect(patternTest(pattern, t), `/${pattern}/ on ${JSON.stringify(t)}`).toBe(new RegExp(pattern).test(t))
      }),
      { seed: 20261122, numRuns: 3000 },
    )
  })
})

describe('patterns refused when specs load', () => {
  test.for([
    ['(unclosed', 'BAD_PATTERN', /Unterminated group/],
    ['a**', 'BAD_PATTERN', /Nothing to repeat/],
    ['[z-a]', 'BAD_PATTERN', /out of order/],
    ['(a)\\1', 'UNSUPPORTED_PATTERN', /backreference/],
    ['(?<n>a)\\k<n>', 'UNSUPPORTED_PATTERN', /backreference/],
    ['\\07', 'UNSUPPORTED_PATTERN', /octal/],
    ['a(?=b)', 'UNSUPPORTED_PATTERN', /lookahead/],
    ['(?<!a)b', 'UNSUPPORTED_PATTERN', /lookbehind/],
    ['(?i:a)', 'UNSUPPORTED_PATTERN', /\(\?…\)/],
    ['\\q', 'UNSUPPORTED_PATTERN', /not an escape/],
    ['\\x4', 'UNSUPPORTED_PATTERN', /hex digits/],
    ['a{1001}', 'UNSUPPORTED_PATTERN', /count above 1000/],
    ['(?:a{1,1000}){3}', 'UNSUPPORTED_PATTERN', /too large/],
    ['a'.repeat(2001), 'UNSUPPORTED_PATTERN', /more than 2000/],
  ] as const)('/%s/: %s', ([pattern, code, message]) => {
    const problem = patternProblem(pattern)
    expect(problem?.code).toBe(code)
    expect(problem?.message).toMatch(message)
    expect(patternTest(pattern, 'aaa')).toBe(false)
  })

  test('nested quantifiers are fine: the engine is linear whatever the nesting', () => {
    for (const p of ['^(a+)+$', '(\\w+\\s?)*', '((ab)*c)+', '(?:x{1,5}){1,5}']) expect(patternProblem(p)).toBeUndefined()
  })
})

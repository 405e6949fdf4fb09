import { describe, expect, test } from 'vitest'
import { isStrictEmail } from '../../reference/variations/email.ts'
import { fakeSource, seedFor, type FakeName } from '../../src/fake.ts'

/**
 * Test data that finds normalisation: every value the suite sends is valid by the field's documented rules, and carries
 * what a normalising target would change (case, non-ASCII, beyond the BMP, `+` and `'`, leading zeros), so that a
 * target that folds, strips or re-encodes fails a check.
 */
const ASTRAL = /[\u{10000}-\u{10FFFF}]/u
const NON_ASCII = /[^\u0000-\u007f]/u
const sources = (n: number) => Array.from({ length: n }, (_, i) => fakeSource(seedFor(i, 'normalisation')))
const draws = (name: FakeName, n = 300) => sources(n).map((f) => f(name))

describe('seeded values carry what normalising targets change', () => {
  test('e-mail addresses: capitals in the local part, a + and an apostrophe; valid by the strictest rule a target may use', () => {
    for (const e of draws('email')) {
      const local = e.slice(0, e.lastIndexOf('@'))
      expect(local).toMatch(/[A-Z]/)
      expect(local).toContain('+')
      expect(local).toContain("'")
      expect(local.length).toBeLessThanOrEqual(64)
      expect(isStrictEmail(e), e).toBe(true)
      // The domain is not case-sensitive: a target may fold it, so the suite never sends it in capitals.
      expect(e.slice(e.lastIndexOf('@'))).toBe('@example.com')
    }
    expect(
      draws('email').some((e) => e.indexOf('@') > 40),
      'some long local parts',
    ).toBe(true)
  })

  test('the first name of each kind a check draws reaches beyond the BMP; later ones vary', () => {
    for (const kind of ['firstName', 'lastName'] as const) {
      const firsts = draws(kind)
      for (const n of firsts) expect(n, `${kind} ${n}`).toMatch(ASTRAL)
      const later = sources(300).map((f) => {
        f(kind)
        return f(kind)
      })
      expect(later.some((n) => ASTRAL.test(n))).toBe(true)
      expect(later.some((n) => !ASTRAL.test(n) && NON_ASCII.test(n))).toBe(true)
      if (kind === 'lastName') expect([...firsts, ...later].some((n) => n.includes("'"))).toBe(true)
      // Two draws rarely agree, so that a "new" value is new (a spec's change would otherwise show nothing).
      expect(new Set(later).size).toBeGreaterThan(280)
    }
  })

  test('numeric texts keep their leading zeros: mobile numbers always, the first post code of a check', () => {
    for (const m of draws('mobile')) expect(m).toMatch(/^0\d{10}$/)
    for (const p of draws('postCode')) expect(p).toMatch(/^0\d{4}$/)
  })

  test('the same seed draws the same values, in the same order', () => {
    const a = fakeSource(7)
    const b = fakeSource(7)
    const names: FakeName[] = ['firstName', 'firstName', 'email', 'lastName', 'postCode', 'postCode']
    expect(names.map((n) => a(n))).toEqual(names.map((n) => b(n)))
  })
})

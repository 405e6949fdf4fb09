import { describe, expect, test } from 'vitest'
import { fakeSource, seedFor } from '../../src/fake.ts'

/** Test data is valid data: a target that validates what the pages allow it to validate must accept it. */

const HTML_EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/
const DOT_ATOM = /^[^.]+(\.[^.]+)*$/

describe('seeded fake values are valid by the usual rules', () => {
  const values = (name: 'email' | 'password' | 'mobile' | 'userName') => Array.from({ length: 400 }, (_, i) => fakeSource(seedFor(i, 'fake-data'))(name))
  test('e-mail addresses: the HTML form rule, a dot-atom local part of at most 64 characters', () => {
    for (const e of values('email')) {
      expect(e).toMatch(HTML_EMAIL)
      const local = e.split('@')[0]!
      expect(local).toMatch(DOT_ATOM)
      expect(local.length).toBeLessThanOrEqual(64)
    }
  })
  test('passwords: upper and lower case, a digit and a sign', () => {
    for (const p of values('password')) expect(p).toMatch(/^(?=.*[A-Z])(?=.*[a-z])(?=.*\d)(?=.*[^A-Za-z0-9]).{8,}$/)
  })
  test('mobile numbers are E.164 digits; user names are letters and digits', () => {
    for (const m of values('mobile')) expect(m).toMatch(/^\d{8,15}$/)
    for (const u of values('userName')) expect(u).toMatch(/^[a-z0-9]{6,18}$/)
  })
})

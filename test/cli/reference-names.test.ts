import { describe, expect, test } from 'vitest'
import { listDeviations, listVariations } from '../../reference/index.ts'
import { checkReferenceNames } from '../../src/cli/reference-names.ts'
import { ConformError } from '../../src/errors.ts'
import { conform } from '../helpers/cli.ts'

function thrown(f: () => void): ConformError {
  try {
    f()
  } catch (e) {
    return e as ConformError
  }
  throw new Error('nothing thrown')
}

describe('--deviate and --vary names, checked once for every command', () => {
  const deviations = listDeviations().map((d) => d.name)
  const variations = listVariations().map((v) => v.name)

  test('every name the reference has passes; none named passes', () => {
    expect(() => checkReferenceNames({ deviations, variations })).not.toThrow()
    expect(() => checkReferenceNames({})).not.toThrow()
    expect(() => checkReferenceNames({ deviations: [], variations: [] })).not.toThrow()
  })

  test("an unknown deviation is UNKNOWN_DEVIATION (the reference's code), bad usage, naming the first unknown", () => {
    const e = thrown(() => checkReferenceNames({ deviations: [deviations[0]!, 'no-such-deviation', 'another'], variations }))
    expect(e).toBeInstanceOf(ConformError)
    expect([e.code, e.category, e.message]).toEqual(['UNKNOWN_DEVIATION', 'spec', 'unknown deviation "no-such-deviation" (see conform deviations)'])
  })

  test('an unknown variation is UNKNOWN_VARIATION; a deviation name is no variation, nor the other way round', () => {
    const e = thrown(() => checkReferenceNames({ variations: [deviations[0]!] }))
    expect([e.code, e.category, e.message]).toEqual(['UNKNOWN_VARIATION', 'spec', `unknown variation "${deviations[0]}" (see conform variations)`])
    expect(thrown(() => checkReferenceNames({ deviations: [variations[0]!] })).code).toBe('UNKNOWN_DEVIATION')
  })

  test('run, serve, self-check and compare say it the same way, exit 2', async () => {
    const commands = [
      ['run', '--deviate', 'no-such-deviation'],
      ['serve', '--deviate', 'no-such-deviation'],
      ['self-check', '--deviate', 'no-such-deviation'],
      ['compare', '--baseline', 'reference', '--candidate', 'reference', '--deviate', 'no-such-deviation'],
    ]
    for (const args of commands) {
      const r = await conform(args)
      expect(r.code, args[0]).toBe(2)
      expect(r.stderr.trim(), args[0]).toBe('conform: UNKNOWN_DEVIATION unknown deviation "no-such-deviation" (see conform deviations)')
    }
  })
})

import { describe, expect, test } from 'vitest'
import { checkStatusOf, failsAt, failureWeight } from '../../src/report/verdict.ts'

describe('the failure-weight rule the engine (check status) and the matrix (cells) share', () => {
  test('a behaviour or schema failure weighs as the behaviour it speaks against', () => {
    for (const category of ['behaviour', 'schema'] as const) {
      expect(failureWeight(category, 'SHOULD')).toBe('SHOULD')
      expect(failureWeight(category, 'ADVISORY')).toBe('ADVISORY')
      expect(failureWeight(category, 'MUST')).toBe('MUST')
    }
  })

  test('a setup or transport failure verified nothing: it weighs as MUST whatever the behaviour', () => {
    for (const category of ['setup', 'transport', 'spec'] as const) expect(failureWeight(category, 'ADVISORY')).toBe('MUST')
  })

  test('MUST fails; SHOULD fails only under --strict; ADVISORY never fails', () => {
    expect([failsAt('MUST', false), failsAt('SHOULD', false), failsAt('ADVISORY', false)]).toEqual([true, false, false])
    expect([failsAt('MUST', true), failsAt('SHOULD', true), failsAt('ADVISORY', true)]).toEqual([true, true, false])
  })

  test('a check: passed without failures, failed when one failure fails, else warned', () => {
    expect(checkStatusOf([], true)).toBe('passed')
    expect(checkStatusOf(['ADVISORY', 'SHOULD'], false)).toBe('warned')
    expect(checkStatusOf(['ADVISORY', 'SHOULD'], true)).toBe('failed')
    expect(checkStatusOf(['SHOULD', 'MUST'], false)).toBe('failed')
    expect(checkStatusOf(['ADVISORY'], true)).toBe('warned')
  })
})

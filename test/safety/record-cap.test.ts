import { describe, expect, test } from 'vitest'
import { capText, MAX_FAILURE_MESSAGE, MAX_RECORDED_BODY } from '../../src/engine/record-cap.ts'
import { Redactor } from '../../src/redact.ts'

describe('what a check records is capped, with a note of the cut', () => {
  test('a text within the cap is kept as it is', () => {
    const text = 'x'.repeat(MAX_RECORDED_BODY)
    expect(capText(text, MAX_RECORDED_BODY)).toBe(text)
    expect(capText('', MAX_FAILURE_MESSAGE)).toBe('')
  })

  test('a longer one keeps its start and says how much was cut, in bytes', () => {
    const body = 'a'.repeat(MAX_RECORDED_BODY) + 'b'.repeat(Math.round(4.6 * 1024 * 1024))
    const kept = capText(body, MAX_RECORDED_BODY)
    expect(kept).toBe(`${'a'.repeat(MAX_RECORDED_BODY)}… [cut: 4.6 MB more]`)
    expect(capText('é'.repeat(MAX_FAILURE_MESSAGE + 10), MAX_FAILURE_MESSAGE)).toMatch(/… \[cut: 20 bytes more\]$/)
    expect(capText('x'.repeat(MAX_FAILURE_MESSAGE + 2048), MAX_FAILURE_MESSAGE)).toMatch(/… \[cut: 2\.0 KB more\]$/)
  })

  test('never half a surrogate pair', () => {
    const text = `${'x'.repeat(9)}😀😀`
    const kept = capText(text, 10)
    expect(kept.startsWith(`${'x'.repeat(9)}…`)).toBe(true)
    expect(kept.isWellFormed()).toBe(true)
  })

  test('a secret across the cut is redacted before cutting, so no part of it stays', () => {
    const redactor = new Redactor()
    redactor.add('hunter2-secret-token')
    const text = `${'x'.repeat(MAX_FAILURE_MESSAGE - 6)}hunter2-secret-token${'y'.repeat(100)}`
    const kept = capText(text, MAX_FAILURE_MESSAGE, (t) => redactor.redact(t))
    expect(kept).not.toContain('hunter')
    expect(kept.length).toBeLessThan(MAX_FAILURE_MESSAGE + 40)
    // Without redaction first, the first half of the secret would be what is kept.
    expect(capText(text, MAX_FAILURE_MESSAGE)).toContain('hunter')
  })
})

import { expect, test } from 'vitest'
import { CHECK_TIME_LIMIT_MS, checkControl } from '../../src/run/check-control.ts'

/**
 * A run's tests wait for their check without a vitest timeout (a check may queue behind others); each check's own
 * time limit runs from its start. Its signal stops the check (which then restores its users), and its deadline keeps
 * 429/503 retries from waiting past the point where the retried request could still finish in time.
 */
test('the stop signal fires at the time limit, and the deadline leaves one request timeout before it', async () => {
  const before = Date.now()
  const { signal, deadlineAt, done } = checkControl(1_000, 60)
  expect(deadlineAt).toBeGreaterThanOrEqual(before + 60 - 1_000)
  expect(deadlineAt).toBeLessThanOrEqual(Date.now() + 60 - 1_000)
  expect(signal!.aborted).toBe(false)
  await new Promise((r) => setTimeout(r, 120))
  expect(signal!.aborted).toBe(true)
  expect((signal!.reason as Error).message).toBe('it ran longer than its time limit of 0.06 s')
  done()
})

test('a check that ends in time clears its timer: the signal never fires', async () => {
  const { signal, done } = checkControl(1_000, 30)
  done()
  await new Promise((r) => setTimeout(r, 80))
  expect(signal!.aborted).toBe(false)
  expect(CHECK_TIME_LIMIT_MS).toBe(60_000)
})

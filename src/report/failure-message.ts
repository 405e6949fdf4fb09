import type { CheckResult } from '../engine/result.ts'

/** The check's failure messages, each prefixed `[category]`, the check's own category first (Allure categories match on it). */
export function allureFailureMessage(check: Pick<CheckResult, 'category' | 'message' | 'failures'>): string {
  if (check.failures.length === 0) return check.message ? `[${check.category ?? 'behaviour'}] ${check.message}` : ''
  const lead = check.failures.filter((f) => f.category === check.category)
  const rest = check.failures.filter((f) => f.category !== check.category)
  return [...lead, ...rest].map((f) => `[${f.category}] ${f.message}`).join('\n')
}

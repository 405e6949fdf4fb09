import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CheckComparison } from './classify.ts'

interface AllureResult {
  name?: string
  labels?: Array<{ name: string; value: string }>
  statusDetails?: { message?: string; trace?: string }
}

/**
 * The candidate's Allure results, marked: a regression gets the tag `regression`, severity blocker and a
 * message starting `[regression]` (allurerc.mjs files it under "Regressions"); answers that differ while both
 * pass get the tag `differs from baseline`. Returns how many results were marked.
 */
export function markAllureResults(dir: string, checks: CheckComparison[], baseline: string): number {
  if (!existsSync(dir)) return 0
  const byId = new Map(checks.map((c) => [c.id, c]))
  let marked = 0
  for (const file of readdirSync(dir).filter((f) => f.endsWith('-result.json'))) {
    const path = join(dir, file)
    const result = JSON.parse(readFileSync(path, 'utf8')) as AllureResult
    const check = result.name ? byId.get(result.name) : undefined
    if (!check || (check.verdict !== 'regression' && check.verdict !== 'differs')) continue
    const labels = result.labels ?? []
    if (check.verdict === 'regression') {
      result.labels = [...labels.filter((l) => l.name !== 'severity'), { name: 'severity', value: 'blocker' }, { name: 'tag', value: 'regression' }]
      result.statusDetails = { ...result.statusDetails, message: `[regression] passed on ${baseline}\n${result.statusDetails?.message ?? ''}` }
    } else {
      result.labels = [...labels, { name: 'tag', value: 'differs from baseline' }]
    }
    writeFileSync(path, JSON.stringify(result))
    marked++
  }
  return marked
}

import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, test } from 'vitest'
import type { Category } from '../../src/errors.ts'
import { allureFailureMessage } from '../../src/report/allure.ts'
import { check } from './builders.ts'

interface Rule {
  name: string
  matchers: { statuses: string[]; message: RegExp }
}
interface AllureRc {
  name: string
  resultsDir: string
  output: string
  historyPath: string
  historyLimit: number
  categories: Rule[]
  qualityGate?: unknown
}

const rc = ((await import(pathToFileURL(resolve(import.meta.dirname, '../../allurerc.mjs')).href)) as { default: AllureRc }).default

/** Allure 3 puts a result in the first category whose matcher accepts it. */
const categoryOf = (status: string, message: string) =>
  rc.categories.find((c) => c.matchers.statuses.includes(status) && c.matchers.message.test(message))?.name

describe('allurerc.mjs', () => {
  test('report name, output, history, no quality gate', () => {
    expect(rc).toMatchObject({
      name: 'User-update API conformance',
      resultsDir: './reports/allure-results',
      output: './reports/allure-report',
      historyPath: './reports/allure-history.jsonl',
      historyLimit: 30,
    })
    expect(rc.qualityGate).toBeUndefined()
    expect(Object.keys(rc).sort()).toEqual(['categories', 'historyLimit', 'historyPath', 'name', 'output', 'resultsDir'])
  })

  test('each failure category lands in its Allure category, decided by the leading failure', () => {
    const cases: Array<[Category, string | undefined]> = [
      ['behaviour', 'Behaviour failures'],
      ['schema', 'Schema violations'],
      ['transport', 'Transport problems'],
      ['setup', 'Setup problems'],
      ['spec', 'Setup problems'],
    ]
    for (const [category, expected] of cases) {
      const others = (['behaviour', 'schema', 'transport', 'setup'] as const).filter((c) => c !== category)
      const c = check({
        status: 'failed',
        category,
        failures: [...others.map((o) => ({ category: o, behaviours: [], message: `${o} problem` })), { category, behaviours: [], message: 'the main problem' }],
      })
      expect(categoryOf('failed', allureFailureMessage(c)), category).toBe(expected)
      expect(categoryOf('broken', allureFailureMessage(c)), category).toBe(expected)
    }
    expect(categoryOf('failed', 'AssertionError: expected 1 to be 2 [behaviour]')).toBeUndefined()
    expect(categoryOf('passed', '[behaviour] x')).toBeUndefined()
  })
})

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestResult } from 'allure-js-commons'
import { beforeAll, describe, expect, test } from 'vitest'
import type { Project } from '../../src/project.ts'
import { allureReporter } from '../../src/report/allure-reporter.ts'
import { allureStatusOf, writeAllureResults } from '../../src/report/allure-results.ts'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import { catalogue, check, exchange, step } from './builders.ts'

async function written(checks: Parameters<typeof writeAllureResults>[1]): Promise<{ results: TestResult[]; files: string[]; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'conform-allure-results-'))
  await writeAllureResults(dir, checks, {
    target: 'staging',
    seed: 7,
    version: '0.1.0',
    catalogue,
    docsOf: () => 'https://docs.example/UpdateUserEmail',
    environment: { target: 'staging', seed: '7' },
  })
  const files = readdirSync(dir)
  const results = files.filter((f) => f.endsWith('-result.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as TestResult)
  return { results, files, dir }
}

const failedByTarget = check({
  id: 'inforouter.update-user-email.bad@soap12',
  binding: 'soap12',
  status: 'failed',
  category: 'behaviour',
  message: 'expected success = "true", got "false"',
  failures: [{ category: 'behaviour', behaviours: ['IE-2'], message: 'expected success = "true", got "false"' }],
  exchanges: [exchange()],
  steps: [step({ name: 'call', status: 'failed', exchanges: [0], message: 'expected success = "true", got "false"' })],
})
const notRun = check({
  id: 'inforouter.update-user-email.other@soap11',
  status: 'skipped',
  message: 'the target does not allow writes (allowWrites is not true)',
})
const setupTrouble = check({
  id: 'inforouter.update-user-email.setup@soap11',
  status: 'failed',
  category: 'setup',
  message: 'could not provision',
  failures: [{ category: 'setup', behaviours: ['IE-1'], message: 'could not provision' }],
})

describe('Allure results from our own check results', () => {
  test("a failure of the target is Failed (red); the suite's own trouble is Broken; a check not run is Skipped", () => {
    expect(allureStatusOf(failedByTarget)).toBe('failed')
    for (const category of ['schema', 'transport'] as const) expect(allureStatusOf({ status: 'failed', category })).toBe('failed')
    expect(allureStatusOf(setupTrouble)).toBe('broken')
    expect(allureStatusOf(notRun)).toBe('skipped')
    expect(allureStatusOf(check())).toBe('passed')
    expect(allureStatusOf({ status: 'warned', category: 'behaviour' })).toBe('passed')
  })

  let results: TestResult[] = []
  let files: string[] = []
  beforeAll(async () => {
    ;({ results, files } = await written([failedByTarget, notRun, setupTrouble, check()]))
  })
  const byName = (name: string) => results.find((r) => r.name === name)!

  test('one result a check, named by the check id (compare marks regressions by it), with its status', () => {
    expect(results.map((r) => [r.name, r.status]).sort()).toEqual([
      ['inforouter.update-user-email.bad@soap12', 'failed'],
      ['inforouter.update-user-email.ok@soap11', 'passed'],
      ['inforouter.update-user-email.other@soap11', 'skipped'],
      ['inforouter.update-user-email.setup@soap11', 'broken'],
    ])
  })

  test('the tree is API › operation › behaviour', () => {
    const labels = byName(failedByTarget.id).labels
    const get = (n: string) => labels.filter((l) => l.name === n).map((l) => l.value)
    expect(get('parentSuite')).toEqual(['inforouter'])
    expect(get('suite')).toEqual(['UpdateUserEmail'])
    expect(get('subSuite')).toEqual(['IE-1 UpdateUserEmail works over GET, POST and SOAP'])
  })

  test('no stack traces, no framework, host, thread or language labels', () => {
    for (const r of results) {
      expect(r.statusDetails?.trace).toBeUndefined()
      expect(r.labels.map((l) => l.name)).not.toEqual(expect.arrayContaining(['framework']))
      for (const name of ['framework', 'host', 'thread', 'language', 'package']) expect(r.labels.some((l) => l.name === name)).toBe(false)
    }
  })

  test('the failure message leads with its category (allurerc categories match on it); a skip says why', () => {
    expect(byName(failedByTarget.id).statusDetails.message).toBe('[behaviour] expected success = "true", got "false"')
    expect(byName(notRun.id).statusDetails.message).toBe('not verified: the target does not allow writes (allowWrites is not true)')
  })

  test("the check's phases are steps with its exchanges attached; the environment is written", () => {
    const r = byName(failedByTarget.id)
    expect(r.steps.map((s) => [s.name, s.status])).toEqual([['call', 'failed']])
    const attached = r.steps[0]!.steps.flatMap((s) => s.attachments.map((a) => a.source))
    expect(attached.length).toBeGreaterThan(0)
    for (const a of attached) expect(files).toContain(a)
    expect(files).toContain('environment.properties')
    expect(r.links).toEqual([expect.objectContaining({ url: 'https://docs.example/UpdateUserEmail' })])
  })
})

describe('the Allure reporter of a run', () => {
  test('writes each check as it ends, before the run does; the environment with the verdict when the run ends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conform-allure-reporter-'))
    const project = { catalogue, apis: new Map() } as unknown as Project
    const reporter = allureReporter(dir, { target: 'staging', seed: 7, version: '0.1.0', deviations: [], project })
    reporter.onCheck?.(failedByTarget)
    await reporter.settled()
    const early = readdirSync(dir)
    expect(early.filter((f) => f.endsWith('-result.json'))).toHaveLength(1)
    expect(early).not.toContain('environment.properties')
    reporter.onCheck?.(notRun)
    await reporter.onEnd?.({ report: { summary: { verdict: 'NOT CONFORMANT' } } as unknown as ConformanceReport, checks: [failedByTarget, notRun] })
    const files = readdirSync(dir)
    expect(files.filter((f) => f.endsWith('-result.json'))).toHaveLength(2)
    // Each file under its own name once whole; none left under the name it is written under.
    expect(files.filter((f) => f.endsWith('.part'))).toEqual([])
    expect(readFileSync(join(dir, 'environment.properties'), 'utf8')).toMatch(/verdict\s*=\s*NOT CONFORMANT/)
  })

  test("a file that cannot be written fails the run's end (the suite's error), not silently", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conform-allure-reporter-'))
    const project = { catalogue, apis: new Map() } as unknown as Project
    const reporter = allureReporter(join(dir, 'results'), { target: 'staging', seed: 7, version: '0.1.0', deviations: [], project })
    reporter.onCheck?.(failedByTarget)
    await reporter.settled()
    rmSync(join(dir, 'results'), { recursive: true })
    reporter.onCheck?.(notRun)
    await expect(
      reporter.onEnd?.({ report: { summary: { verdict: 'NOT CONFORMANT' } } as unknown as ConformanceReport, checks: [failedByTarget, notRun] }),
    ).rejects.toThrow(/ENOENT/)
  })
})

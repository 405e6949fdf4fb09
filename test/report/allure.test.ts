import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { TestResult } from 'allure-js-commons'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { createVitest } from 'vitest/node'
import { allureFailureMessage, describeCheckToAllure } from '../../src/report/allure.ts'
import { allureContext, failedCheck, passedCheck } from './fixtures/allure-sample.ts'

const FIXTURES = resolve(import.meta.dirname, 'fixtures')

interface Step {
  name: string
  status?: string
  start?: number
  stop?: number
  statusDetails?: { message?: string }
  steps: Step[]
  attachments: Array<{ name: string; source: string; type: string }>
}

describe('describeCheckToAllure, under the allure-vitest reporter', () => {
  let resultsDir: string
  let results: TestResult[]

  beforeAll(async () => {
    resultsDir = mkdtempSync(join(tmpdir(), 'conform-allure-'))
    const exitCode = process.exitCode
    const vitest = await createVitest({
      root: FIXTURES,
      config: 'allure.vitest.config.ts',
      watch: false,
      reporters: [['allure-vitest/reporter', { resultsDir }]],
    })
    try {
      await vitest.start()
    } finally {
      await vitest.close()
      // The fixture's failing test is meant to fail; that must not fail this run.
      process.exitCode = exitCode
    }
    results = readdirSync(resultsDir)
      .filter((f) => f.endsWith('-result.json'))
      .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as TestResult)
  })
  afterAll(() => rmSync(resultsDir, { recursive: true, force: true }))

  const result = (id: string) => {
    const found = results.filter((r) => r.name === id)
    expect(found).toHaveLength(1)
    return found[0]!
  }
  const labels = (r: TestResult, name: string) => r.labels.filter((l) => l.name === name).map((l) => l.value)
  const file = (source: string) => readFileSync(join(resultsDir, source), 'utf8')

  test('labels: epic API, feature operation, a story per behaviour, severity from the strongest level, tags', () => {
    const r = result(failedCheck.id)
    expect(labels(r, 'epic')).toEqual(['inforouter'])
    expect(labels(r, 'feature')).toEqual(['UpdateUserEmail'])
    expect(labels(r, 'story')).toEqual(['IE-1 UpdateUserEmail works over GET, POST and SOAP', 'IE-3 Failures answer with the documented error text'])
    expect(labels(r, 'severity')).toEqual(['critical'])
    expect(labels(r, 'tag')).toEqual(['inforouter', 'soap12', 'MUST', 'IE-1', 'IE-3'])
    expect(labels(result(passedCheck.id), 'severity')).toEqual(['minor'])
  })

  test('parameters, documentation link, description', () => {
    const r = result(failedCheck.id)
    expect(r.parameters).toEqual([
      { name: 'binding', value: 'soap12' },
      { name: 'target', value: 'reference' },
      { name: 'seed', value: '42', excluded: true },
    ])
    expect(r.links).toEqual([expect.objectContaining({ url: allureContext.docs, name: 'UpdateUserEmail documentation' })])
    expect(r.description).toContain(`**${failedCheck.title}**`)
    expect(r.description).toContain('`specs/inforouter/update-user-email/ok.yaml:7`')
    expect(r.description).toContain('Runs against a fresh user.')
  })

  test('one step per CheckStep, in order, with its timing, status and message', () => {
    const steps = result(failedCheck.id).steps as Step[]
    expect(steps.map((s) => [s.name, s.status, s.start, s.stop, s.statusDetails?.message])).toEqual([
      ['authenticate — user jane', 'passed', Date.parse('2026-11-22T08:35:22.000Z'), Date.parse('2026-11-22T08:35:22.005Z'), undefined],
      [
        'call — UpdateUserEmail over soap12',
        'failed',
        Date.parse('2026-11-22T08:35:22.010Z'),
        Date.parse('2026-11-22T08:35:22.040Z'),
        'expected success="true"',
      ],
      ['restore', 'broken', Date.parse('2026-11-22T08:35:22.050Z'), Date.parse('2026-11-22T08:35:22.052Z'), 'connect ECONNREFUSED'],
    ])
    expect((result(passedCheck.id).steps as Step[]).map((s) => s.name)).toEqual(['call — UpdateUserEmail over soap11'])
  })

  test('each exchange attached inside its step: request and response with their content types, bodies in the files', () => {
    const steps = result(failedCheck.id).steps as Step[]
    const attached = steps.map((s) => s.steps.flatMap((a) => a.attachments.map((x) => ({ name: x.name, type: x.type, text: file(x.source) }))))
    const [auth, call, restore] = failedCheck.exchanges
    expect(attached).toEqual([
      [
        { name: 'AuthenticateUser request', type: 'text/plain', text: `GET ${auth!.request.url}` },
        { name: 'AuthenticateUser response', type: 'text/xml', text: auth!.response!.body },
      ],
      [
        { name: 'UpdateUserEmail request', type: 'application/xml', text: call!.request.body },
        { name: 'UpdateUserEmail response', type: 'text/html', text: call!.response!.body },
      ],
      [
        { name: 'UpdateUser request', type: 'application/json', text: restore!.request.body },
        { name: 'UpdateUser error', type: 'text/plain', text: 'connect ECONNREFUSED 127.0.0.1:9' },
      ],
    ])
    expect(result(failedCheck.id).attachments).toEqual([])
  })

  test('a passed check: its steps carry no attachment; all its exchanges in one, named by step, request and answer', () => {
    const r = result(passedCheck.id)
    expect((r.steps as Step[]).flatMap((s) => s.attachments)).toEqual([])
    expect((r.steps as Step[]).flatMap((s) => s.steps)).toEqual([])
    const [x] = passedCheck.exchanges
    expect(r.attachments.map((a) => [a.name, a.type])).toEqual([['exchanges (1)', 'text/plain']])
    const text = file(r.attachments[0]!.source)
    expect(text).toContain('1. call — UpdateUserEmail over soap11: UpdateUserEmail')
    expect(text).toContain(`${x!.request.method} ${x!.request.url}`)
    expect(text).toContain(x!.request.body!)
    expect(text).toContain(`→ HTTP ${x!.response!.status}`)
    expect(text).toContain(x!.response!.body)
  })

  test("the caller fails the test with the [category] message: the check's own category first", () => {
    const r = result(failedCheck.id)
    expect(r.status).toBe('failed')
    expect(r.statusDetails.message).toBe(
      '[behaviour] UpdateUserEmail over soap12: expected success="true"\n[schema] UpdateUserEmail over soap12: content type text/html',
    )
    expect(result(passedCheck.id).status).toBe('passed')
  })
})

describe('allureFailureMessage', () => {
  test('every failure prefixed with its category, the check category leading', () => {
    expect(
      allureFailureMessage(failedCheck)
        .split('\n')
        .map((l) => l.slice(0, l.indexOf(']') + 1)),
    ).toEqual(['[behaviour]', '[schema]'])
  })
  test('a failed check without itemised failures still gets its category', () => {
    expect(allureFailureMessage({ category: 'setup', message: 'could not provision', failures: [] })).toBe('[setup] could not provision')
    expect(allureFailureMessage({ category: null, message: null, failures: [] })).toBe('')
  })
})

describe('describeCheckToAllure without allure-vitest', () => {
  test("does nothing, quietly (allure's no-op runtime would log on every call)", async () => {
    const log = vi.spyOn(console, 'log')
    try {
      await expect(describeCheckToAllure(failedCheck, allureContext)).resolves.toBeUndefined()
      expect(log).not.toHaveBeenCalled()
    } finally {
      log.mockRestore()
    }
  })
})

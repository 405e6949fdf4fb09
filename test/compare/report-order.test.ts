import { describe, expect, test } from 'vitest'
import { buildMigration } from '../../src/compare/migration.ts'
import { learnNoise } from '../../src/compare/noise.ts'
import type { RecordedAnswer, RecordedCheck, RunRecord } from '../../src/compare/run-record.ts'
import type { CheckStatus } from '../../src/engine/result.ts'
import { renderMigrationHtml } from '../../src/report/migration-html.ts'
import { renderMigrationMarkdown } from '../../src/report/migration-md.ts'

const answer = (body: string): RecordedAnswer => ({ operation: 'UserUpdate', method: 'POST', path: '/x.asmx', status: 200, contentType: 'text/xml', body })
function check(id: string, status: CheckStatus, body = '<r><ok>true</ok></r>', message: string | null = null): RecordedCheck {
  return {
    id,
    status,
    answers: [answer(body)],
    message,
    category: status === 'failed' ? 'behaviour' : null,
    title: id,
    api: 'ecgridos',
    operation: 'UserUpdate',
    binding: 'soap11',
    level: 'MUST',
    spec: 's.yaml',
    line: 1,
    covers: ['EO-1'],
    failures: [],
    failedBehaviours: [],
    durationMs: 1,
    requests: 1,
    steps: [],
  } as RecordedCheck
}
const run = (dir: string, checks: RecordedCheck[]): RunRecord => ({
  dir,
  target: dir.startsWith('b') ? 'old' : 'new',
  seed: 1,
  deviations: [],
  checks: new Map(checks.map((c) => [c.id, c])),
})

describe('migration.md and migration.html lead with what blocks the switch', () => {
  const base = run('b1', [
    check('chk-regressed', 'passed'),
    check('chk-differing', 'passed'),
    check('chk-fixed', 'failed', undefined, 'old bug'),
    check('chk-equal', 'passed'),
    check('chk-skipped', 'passed'),
  ])
  const cand = run('c', [
    check('chk-regressed', 'failed', undefined, 'now broken'),
    check('chk-differing', 'passed', '<r><ok>true</ok><extra>1</extra></r>'),
    check('chk-fixed', 'passed'),
    check('chk-equal', 'passed'),
    check('chk-skipped', 'skipped', '', 'no writes'),
  ])
  const wsdls = {
    baseline: [
      {
        api: 'ecgridos',
        binding: 'soap11' as const,
        url: 'u',
        text: '<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:a"><portType name="P"><operation name="GoneOp"/><operation name="Kept"/></portType></definitions>',
      },
    ],
    candidate: [
      {
        api: 'ecgridos',
        binding: 'soap11' as const,
        url: 'v',
        text: '<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" targetNamespace="urn:a"><portType name="P"><operation name="Kept"/><operation name="NewOp"/></portType></definitions>',
      },
    ],
  }
  const report = buildMigration({
    tool: { name: 't', version: '1' },
    startedAt: '',
    durationMs: 1,
    baseline: [base, base],
    candidate: cand,
    wsdls,
    apis: { compared: ['ecgridos'], notCompared: [{ api: 'logicmelon', reason: 'only the baseline (old) configures it' }] },
  })

  test('the verdicts are as built', () => {
    expect(Object.fromEntries(report.checks.map((c) => [c.id, c.verdict]))).toEqual({
      'chk-regressed': 'regression',
      'chk-differing': 'differs',
      'chk-fixed': 'fix',
      'chk-equal': 'same',
      'chk-skipped': 'not-compared',
    })
    expect(report.wsdl[0]!.changes.map((c) => `${c.severity} ${c.fact}`)).toEqual([
      'breaking operation GoneOp input',
      'notice operation GoneOp output',
      'notice operation NewOp input',
      'notice operation NewOp output',
    ])
  })

  test.for([
    ['migration.md', renderMigrationMarkdown(report)],
    ['migration.html', renderMigrationHtml(report)],
  ] as const)('%s: regressions, breaking WSDL changes, differences, WSDL notices, improvements, then equal and not compared', ([, text]) => {
    const order = [
      'chk-regressed',
      'GoneOp input',
      'chk-differing',
      'NewOp output',
      'chk-fixed',
      'only the baseline (old) configures it',
      'chk-skipped',
      'chk-equal',
    ]
    const at = order.map((s) => text.indexOf(s, s === 'chk-regressed' ? text.indexOf('Regressions (') : 0))
    for (const [i, s] of order.entries()) expect(at[i], s).toBeGreaterThan(-1)
    expect(at).toEqual([...at].sort((x, y) => x - y))
  })

  test('no learned noise needed for this: the baseline is stable', () => {
    expect(learnNoise(base, base).values.size).toBe(0)
  })
})

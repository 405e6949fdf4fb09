import { describe, expect, test } from 'vitest'
import type { CheckResult } from '../../src/engine/result.ts'
import { headline, judgeVariation, summarise } from '../../src/self-check/evaluate.ts'
import { runAgainstReference } from '../../src/self-check/run.ts'
import { project } from '../helpers/run-suite.ts'

const result = (id: string, status: CheckResult['status'], failures: CheckResult['failures'] = [], message: string | null = null): CheckResult => ({
  id,
  spec: 'x.yaml',
  line: 1,
  title: id,
  api: 'inforouter',
  operation: 'UpdateUserEmail',
  binding: 'soap11',
  covers: ['IE-4'],
  level: 'MUST',
  status,
  category: status === 'passed' ? null : 'behaviour',
  message,
  failures,
  durationMs: 1,
  requests: 1,
  exchanges: [],
  steps: [],
})

describe('judging a variation', () => {
  test('every check that failed or warned is an alarm, whatever behaviour it blames; passed and skipped are not', () => {
    const verdict = judgeVariation({ name: 'soap-prefix-s', api: '*' }, [
      result('a', 'passed'),
      result('b', 'skipped', [], 'no allowWrites'),
      result('c', 'failed', [{ category: 'behaviour', behaviours: ['IE-4'], message: 'fault code soap:Client expected' }]),
      result('d', 'warned', [], 'wording differs'),
    ])
    expect(verdict.alarms).toEqual([
      { check: 'c', status: 'failed', behaviours: ['IE-4'], message: 'fault code soap:Client expected' },
      { check: 'd', status: 'warned', behaviours: ['IE-4'], message: 'wording differs' },
    ])
    expect(verdict.failingChecks).toEqual(['c', 'd'])
  })

  test('the headline counts the variations that raised an alarm', () => {
    const quiet = judgeVariation({ name: 'x', api: '*' }, [result('a', 'passed')])
    const loud = judgeVariation({ name: 'y', api: '*' }, [result('a', 'warned', [], 'w')])
    expect(headline(summarise(42, 0, [result('a', 'passed')], [], [quiet, loud]))).toBe(
      'caught 0 of 0 deviations, 0 false alarms; 1 of 2 variations raised an alarm; plain reference conformant (1 checks)',
    )
  })

  test('end to end: the suite run against a variation also carrying a deviation is judged alarmed (the run sees the reference it was given)', async () => {
    const results = await runAgainstReference(project(), ['ie-noop-fails'], { covers: ['IE-4'] }, 42, ['soap-prefix-s'])
    const verdict = judgeVariation({ name: 'soap-prefix-s', api: '*' }, results)
    expect(verdict.failingChecks.length).toBeGreaterThan(0)
    expect(verdict.alarms.every((a) => a.behaviours.includes('IE-4'))).toBe(true)
    const quiet = judgeVariation({ name: 'soap-prefix-s', api: '*' }, await runAgainstReference(project(), [], { covers: ['IE-4'] }, 42, ['soap-prefix-s']))
    expect(quiet.alarms).toEqual([])
  })
})

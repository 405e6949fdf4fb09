import { describe, expect, test } from 'vitest'
import { classify, compareAnswers } from '../../src/compare/classify.ts'
import { flattenAnswer } from '../../src/compare/flatten.ts'
import { learnNoise, noiseKey, shapeOf } from '../../src/compare/noise.ts'
import type { RecordedAnswer, RecordedCheck, RunRecord } from '../../src/compare/run-record.ts'
import { buildMigration } from '../../src/compare/migration.ts'
import { renderMigrationMarkdown } from '../../src/report/migration-md.ts'
import { renderMigrationHtml } from '../../src/report/migration-html.ts'
import type { CheckStatus } from '../../src/engine/result.ts'

const soap = (body: string) =>
  `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><UserUpdateResponse xmlns="http://www.ecgridos.net/"><UserUpdateResult>${body}</UserUpdateResult></UserUpdateResponse></soap:Body></soap:Envelope>`
const answer = (body: string, operation = 'UserUpdate', status = 200): RecordedAnswer => ({
  operation,
  method: 'POST',
  path: '/x.asmx',
  status,
  contentType: 'text/xml; charset=utf-8',
  body,
})

function check(id: string, status: CheckStatus, answers: RecordedAnswer[], message: string | null = null): RecordedCheck {
  return {
    id,
    status,
    answers,
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
    requests: answers.length,
    steps: [],
  } as RecordedCheck
}
const run = (dir: string, checks: RecordedCheck[]): RunRecord => ({ dir, target: 't', seed: 1, deviations: [], checks: new Map(checks.map((c) => [c.id, c])) })

describe('answers as fields', () => {
  test('XML by local name and namespace, JSON with types kept, media type normalised', () => {
    const flat = flattenAnswer({ status: 200, contentType: 'text/xml;charset=UTF-8', body: soap('<UserID>7</UserID><Email/>') })
    expect(flat.get('content-type')).toBe('text/xml; charset=utf-8')
    expect(flat.get('/Envelope/Body/UserUpdateResponse/UserUpdateResult/UserID')).toBe('7')
    expect(flat.get('/Envelope/Body/UserUpdateResponse#ns')).toBe('http://www.ecgridos.net/')
    const json = flattenAnswer({ status: 200, contentType: 'application/json', body: '{"data":{"userId":7,"tags":["a","b"]}}' })
    expect([...json]).toEqual([
      ['status', '200'],
      ['content-type', 'application/json'],
      ['$.data.userId', '7'],
      ['$.data.tags[0]', '"a"'],
      ['$.data.tags[1]', '"b"'],
    ])
    expect(flattenAnswer({ status: 500, contentType: 'text/plain', body: 'Missing parameter: X.' }).get('text')).toBe('Missing parameter: X.')
  })

  test('repeated elements are numbered', () => {
    const flat = flattenAnswer({ status: 200, contentType: 'text/xml', body: '<r><u>a</u><u>b</u><v>c</v></r>' })
    expect([...flat.keys()]).toEqual(['status', 'content-type', '/r/u[1]', '/r/u[2]', '/r/v'])
  })

  test('a field is known by its name whatever the operation or API', () => {
    expect(noiseKey('/Envelope/Body/X/UserID')).toBe('field userid')
    expect(noiseKey('$.data.userId')).toBe('field userid')
    expect(noiseKey('status')).toBe('status')
    expect(shapeOf('2024-01-15T09:30:00')).toBe('9-9-9a9:9:9')
  })
})

describe('noise learned from the baseline', () => {
  const at = (created: string, ticket: string, id = '7') => [answer(soap(`<UserID>${id}</UserID><Created>${created}</Created><Ticket>${ticket}</Ticket>`))]
  const first = run('b1', [check('c', 'passed', at('2024-01-15T09:30:00', '0f8fad5b'))])
  const second = run('b2', [check('c', 'passed', at('2024-01-16T10:01:59', 'ab3c'))])
  const noise = learnNoise(first, second)

  test('values that differ between the two baseline runs are noise; where the shape varies too, the field is ignored', () => {
    expect([...noise.values].sort()).toEqual(['field created', 'field ticket'])
    expect([...noise.shapes]).toEqual(['field ticket'])
  })

  test('a noisy field still compares by format; a non-noisy one by value', () => {
    expect(compareAnswers(first.checks.get('c')!.answers, at('2025-03-01T00:00:00', 'zz'), noise)).toEqual([])
    expect(compareAnswers(first.checks.get('c')!.answers, at('01/03/2025 00:00', 'zz'), noise).map((d) => [d.kind, d.path])).toEqual([
      ['format', '/Envelope/Body/UserUpdateResponse/UserUpdateResult/Created'],
    ])
    expect(compareAnswers(first.checks.get('c')!.answers, at('2025-03-01T00:00:00', 'zz', '8'), noise).map((d) => [d.kind, d.baseline, d.candidate])).toEqual([
      ['value', '7', '8'],
    ])
  })

  test('generated identifiers compare by role: the same place in the check, whatever the number', () => {
    const ids = (offset: number) =>
      Array.from({ length: 6 }, (_, i) =>
        check(`c${i}`, 'passed', [answer(soap(`<UserID>${100 + i * 2 + offset}</UserID>`)), answer(soap(`<UserID>${101 + i * 2 + offset}</UserID>`))]),
      )
    const [b1, b2] = [run('b1', ids(0)), run('b2', ids(0))]
    const n = learnNoise(b1, b2)
    expect([...n.identifiers]).toEqual(['field userid'])
    expect(classify(b1, b2, run('c', ids(50)), n).every((c) => c.verdict === 'same')).toBe(true)
    // The second answer names the first user instead of the second: another role.
    const swapped = ids(50).map((c) => ({ ...c, answers: [c.answers[0]!, c.answers[0]!] }))
    expect(classify(b1, b2, run('c', swapped), n).every((c) => c.verdict === 'differs')).toBe(true)
  })
})

describe('verdicts per check', () => {
  const a = answer(soap('<UserID>7</UserID>'))
  const b = answer(soap('<UserID>7</UserID><Extra>x</Extra>'))
  const base = run('b1', [
    check('reg', 'passed', [a]),
    check('fix', 'failed', [a], 'old'),
    check('both', 'failed', [a], 'x'),
    check('diff', 'passed', [a]),
    check('same', 'passed', [a]),
    check('flaky', 'passed', [a]),
    check('gone', 'passed', [a]),
    check('skip', 'passed', [a]),
  ])
  const again = run(
    'b2',
    [...base.checks.values()].map((c) => (c.id === 'flaky' ? { ...c, status: 'failed' as const } : c)),
  )
  const cand = run('c', [
    check('reg', 'failed', [a], 'broke'),
    check('fix', 'passed', [a]),
    check('both', 'failed', [a], 'y'),
    check('diff', 'passed', [b]),
    check('same', 'passed', [a]),
    check('flaky', 'failed', [a]),
    check('new', 'passed', [a]),
    check('skip', 'skipped', [], 'no writes'),
  ])
  const results = classify(base, again, cand, learnNoise(base, again))

  test('regression, fix, both failing, differs, same, unstable, only on one side, not compared', () => {
    expect(Object.fromEntries(results.map((r) => [r.id, r.verdict]))).toEqual({
      both: 'both-failing',
      diff: 'differs',
      fix: 'fix',
      flaky: 'unstable',
      gone: 'only-baseline',
      new: 'only-candidate',
      reg: 'regression',
      same: 'same',
      skip: 'not-compared',
    })
    expect(results.find((r) => r.id === 'diff')!.differences).toEqual([
      { exchange: 0, operation: 'UserUpdate', kind: 'added', path: '/Envelope/Body/UserUpdateResponse/UserUpdateResult/Extra', candidate: 'x' },
    ])
  })

  test('the migration report: blockers are regressions, and the renderings name them', () => {
    const report = buildMigration({
      tool: { name: 't', version: '1' },
      startedAt: '2026-11-22T00:00:00Z',
      durationMs: 1,
      baseline: [base, again],
      candidate: cand,
      wsdls: { baseline: [], candidate: [] },
    })
    expect(report.verdict).toBe('blocked')
    expect(report.summary).toMatchObject({ checks: 9, blockers: 1, regression: 1, fix: 1, 'both-failing': 1, differs: 1, same: 1, unstable: 1 })
    const md = renderMigrationMarkdown(report)
    expect(md).toMatch(/BLOCKED \(1 blocker\)/)
    expect(md).toMatch(/- `reg` \(MUST\)\n {2}- candidate: broke/)
    const html = renderMigrationHtml(report)
    expect(html).toMatch(/<td class="ins">.*Extra/)
    expect(html).not.toMatch(/<script|https?:\/\/(?!schemas\.xmlsoap|www\.ecgridos)/)
  })

  test('a baseline with a WSDL and a candidate without one is a blocker', () => {
    const wsdls = {
      baseline: [{ api: 'ecgridos', binding: 'soap11' as const, url: 'u', text: '<x/>' }],
      candidate: [{ api: 'ecgridos', binding: 'soap11' as const, url: 'v', error: 'HTTP 404' }],
    }
    const report = buildMigration({
      tool: { name: 't', version: '1' },
      startedAt: '',
      durationMs: 1,
      baseline: [run('b1', []), run('b2', [])],
      candidate: run('c', []),
      wsdls,
    })
    expect(report).toMatchObject({ verdict: 'blocked', summary: { wsdlBreaking: 1 } })
  })
})

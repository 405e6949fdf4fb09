import { existsSync, readFileSync } from 'node:fs'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { loadProject } from '../../src/project.ts'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import { selectionOf } from '../../src/run/selection.ts'
import { conform } from '../helpers/cli.ts'

const SPEC = 'inforouter.update-user-email.same-email-is-noop'
const FILE = 'specs/inforouter/update-user-email/same-email-is-noop.yaml'

describe('--spec ID|FILE: only these specs, and only their cells count', () => {
  const project = loadProject()

  test('the selection is the behaviours the chosen specs cover (intersected with --covers)', () => {
    expect(selectionOf({ specs: [SPEC] }, project)).toEqual({ covers: ['IE-4', 'IE-9'], specs: [SPEC] })
    expect(selectionOf({ specs: [FILE], covers: ['IE-9', 'IC-1'] }, project)).toEqual({ covers: ['IE-9'], specs: [FILE] })
    expect(selectionOf({}, project)).toBeUndefined()
  })

  test('by file: runs that spec on every binding, complete and conformant (exit 0)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'conform-spec-'))
    const r = await conform(['run', '--spec', FILE, '--out', out])
    expect(r.code, r.stderr).toBe(0)
    const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport
    expect(report.checks.map((c) => c.id)).toEqual([`${SPEC}@http-get`, `${SPEC}@http-post`, `${SPEC}@soap11`, `${SPEC}@soap12`])
    expect(report.behaviours.map((b) => b.id)).toEqual(['IE-4', 'IE-9', 'X-1', 'X-2', 'X-3'])
    expect(r.stdout).toContain('every selected behaviour is verified')
  })

  test('an id no spec has: exit 2 with the nearest id', async () => {
    const r = await conform(['run', '--spec', `${SPEC.slice(0, -1)}`, '--out', mkdtempSync(join(tmpdir(), 'conform-spec-'))])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`did you mean ${SPEC}?`)
  })

  test('filters that each name something real but together select no check: exit 2, nothing run, no report (never green on nothing)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'conform-spec-'))
    // A REST API's spec asked for on a SOAP binding.
    const r = await conform(['run', '--spec', 'ecgrid-rest.update-user.data-shape', '--binding', 'soap11', '--out', out])
    expect(r.code, r.stdout + r.stderr).toBe(2)
    expect(r.stderr).toContain(
      'BAD_USAGE the selection plans no check on target "reference" (--binding soap11 --spec ecgrid-rest.update-user.data-shape); nothing was run',
    )
    expect(r.stdout).not.toContain('verdict:')
    expect(existsSync(join(out, 'conformance.json'))).toBe(false)
  })
})

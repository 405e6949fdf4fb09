import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import { conform, type CliResult } from '../helpers/cli.ts'
import { Staging } from '../helpers/staging.ts'

/**
 * The whole suite against the reference configured as an external target: fixture accounts only, no provisioning,
 * as a vendor's staging system is. With a complete set of accounts (every role, the accounts placed in another
 * mailbox, network and organisation, disposable accounts where checks may change what a restore cannot put back)
 * every cell is verified and the run is conformant; every fixture user ends as it began.
 */

const DISPOSABLE = [
  'logicmelon:Administrator',
  'logicmelon:Recruiter',
  'ecgrid-rest:Root',
  'ecgrid-rest:TechOps',
  'ecgrid-rest:NetworkAdmin',
  'ecgrid-rest:MailboxAdmin',
  'ecgrid-rest:MailboxUser',
]
let s: Staging
let r: CliResult
let before: ReturnType<Staging['users']>
const out = () => join(s.dir, 'complete')

beforeAll(async () => {
  s = await new Staging().start()
  before = s.users()
  r = await conform(
    [
      'run',
      '--target',
      'staging',
      '--config',
      s.config({ allowWrites: true, placed: true, disposable: DISPOSABLE, control: false }),
      '--out',
      out(),
      '--seed',
      '11',
    ],
    s.env,
  )
})
afterAll(() => s.close())

describe('the whole suite against an external target with a complete set of fixture accounts', () => {
  test('every check ran but those needing an expired ticket, which a staging target cannot make: only those cells are partly verified, exit 4', () => {
    expect(r.code, r.stdout.slice(-3000) + r.stderr).toBe(4)
    const report = JSON.parse(readFileSync(join(out(), 'conformance.json'), 'utf8')) as ConformanceReport
    const skipped = report.checks.filter((c) => c.status === 'skipped')
    expect(skipped.map((c) => c.id.replace(/@.*/, '')).sort()).toEqual([
      ...Array(4).fill('inforouter.update-user-contact-info.expired-ticket'),
      ...Array(4).fill('inforouter.update-user-email.expired-ticket'),
    ])
    for (const c of skipped) expect(c.message).toMatch(/^not verified: the check needs an expired session, and the target cannot expire one on demand/)
    expect(report.summary.checks).toBeGreaterThan(150)
    expect(report.summary.failed).toBe(0)
    expect(report.coverage.notVerified).toEqual([])
    // IE-7 and IC-6 are verified by their other checks (unknown and logged-out tickets), not by the expired one.
    expect([...new Set(report.coverage.partial.map((p) => p.id))].sort()).toEqual(['IC-6', 'IC-7', 'IE-7'])
    expect(report.summary.verdict).toBe('incomplete')
  })

  test('the placement specs ran on the accounts placed elsewhere (EO-8, LM-6 verified by all their checks)', () => {
    const report = JSON.parse(readFileSync(join(out(), 'conformance.json'), 'utf8')) as ConformanceReport
    for (const id of [
      'ecgridos.user-update.network-admin-cannot-update-other-network@soap11',
      'ecgridos.user-update.mailbox-admin-cannot-update-other-mailbox@soap11',
      'logicmelon.user-update.move-not-possible@soap11',
    ]) {
      expect(report.checks.find((c) => c.id === id)?.status, id).toBe('passed')
    }
  })

  test('every fixture user ends as it began', () => {
    expect(s.users()).toEqual(before)
  })
})

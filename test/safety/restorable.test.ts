import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import { Staging, spawnConform } from '../helpers/staging.ts'

/**
 * Never change what cannot be put back. A LogicMelon target that clears the password when <Password/> is sent, one that
 * applies a role sent in an update, an ECGrid REST target that takes role, status, network and mailbox from the body:
 * on ordinary fixture accounts the checks that could do so (api.yaml `sets` maps a param they send to a field the
 * restore cannot write back) are skipped as not verified, and every fixture user ends exactly as it began, password
 * included (the database row holds its hash). On accounts marked `disposable: true` they run; the reader never is one.
 */
const stagings: Staging[] = []
afterAll(async () => {
  for (const s of stagings) await s.close()
})

async function runOn(deviations: string[], apis: string[], disposable: string[] = []) {
  const s = await new Staging().start({ deviations })
  stagings.push(s)
  const before = s.users()
  const out = join(s.dir, 'reports')
  const config = s.config({ allowWrites: true, apis, disposable })
  const result = await spawnConform(['run', '--target', 'staging', '--config', config, '--out', out, '--seed', '3', '--api', apis.join(',')], s.env).done
  const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport
  return { s, before, result, report }
}

const RISKY = /^not verified: the check could change (.+), which the restore cannot put back; mark accounts as disposable to run it$/

describe('checks that could change what a restore cannot put back', () => {
  for (const [title, deviations, apis, risky] of [
    [
      'a LogicMelon target that clears the password on <Password/>',
      ['lm-round-trip-clears-password'],
      ['logicmelon'],
      'logicmelon.user-update.round-trip-keeps-password',
    ],
    ['a LogicMelon target that applies a role sent in an update', ['lm-applies-role'], ['logicmelon'], 'logicmelon.user-update.every-field-submitted-or-kept'],
    [
      'an ECGrid REST target that applies role, status, network and mailbox sent in an update',
      ['er-mass-assignment'],
      ['ecgrid-rest'],
      'ecgrid-rest.update-user.mass-assignment-ignored',
    ],
  ] as const) {
    test(`${title}: skipped as not verified on ordinary accounts; every fixture user as it began`, async () => {
      const { s, before, result, report } = await runOn([...deviations], [...apis])
      const skipped = report.checks.filter((c) => RISKY.test(c.message ?? ''))
      for (const c of skipped) expect(c.status).toBe('skipped')
      const check = skipped.find((c) => c.id === `${risky}@${apis[0] === 'ecgrid-rest' ? 'rest-json' : 'soap11'}`)
      expect(check?.message).toMatch(
        apis[0] === 'logicmelon'
          ? /could change organisationId, password, userIdentifier, userRoleId, username,/
          : /could change authLevel, created, login, mailboxId, networkId, status,/,
      )
      // The rest ran, and restored what they changed.
      expect(report.checks.filter((c) => c.status === 'passed').length).toBeGreaterThan(3)
      expect(result.stdout).toMatch(/journal: \d+ fixture user snapshot\(s\), every one restored and verified/)
      expect(s.users()).toEqual(before)
    }, 180_000)
  }

  test('on accounts marked disposable they run (and catch the target); the reader and ordinary accounts stay as they were', async () => {
    const { s, before, report } = await runOn(['lm-round-trip-clears-password'], ['logicmelon'], ['logicmelon:Administrator', 'logicmelon:Recruiter'])
    expect(report.checks.filter((c) => RISKY.test(c.message ?? ''))).toEqual([])
    const roundTrip = report.checks.find((c) => c.id === 'logicmelon.user-update.round-trip-keeps-password@soap11')!
    expect(roundTrip.status, roundTrip.message ?? '').toBe('failed')
    expect(roundTrip.failedBehaviours).toContain('LM-4')
    // The reader (the first Administrator) is never lent to such a check: its row, password hash included, is as before.
    const reader = s.accounts.logicmelon!.Administrator![0]!.username
    const row = (rows: Record<string, unknown[]>) => (rows.logicmelon as Array<Record<string, unknown>>).find((u) => u.Username === reader)
    expect(row(s.users())).toEqual(row(before))
  }, 180_000)

  test('the plain reference with disposable accounts: those checks run and pass, every user restored', async () => {
    const { s, before, report } = await runOn([], ['logicmelon'], ['logicmelon:Administrator', 'logicmelon:Recruiter'])
    const ran = report.checks.filter((c) => c.id.startsWith('logicmelon.user-update.round-trip-keeps-password'))
    expect(ran.map((c) => c.status)).toEqual(['passed', 'passed'])
    expect(report.checks.filter((c) => c.status === 'failed').map((c) => `${c.id}: ${c.message}`)).toEqual([])
    expect(s.users()).toEqual(before)
  }, 180_000)
})

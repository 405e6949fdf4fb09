import { describe, expect, test } from 'vitest'
import { Runner } from '../../src/engine/runner.ts'
import { planChecks } from '../../src/engine/plan.ts'
import type { CheckResult } from '../../src/engine/result.ts'
import { loadProject, type Project } from '../../src/project.ts'
import { startTarget } from '../../src/run/resolve-target.ts'
import { specDir } from '../helpers/spec-dir.ts'

/** Runs the project's checks over SOAP 1.1 against the reference (deviations optional; `without` drops a capability). */
async function run(
  project: Project,
  opts: { deviations?: string[]; specs?: string[]; covers?: string[]; withoutSessionExpiry?: boolean; binding?: 'soap11' | 'http-get' } = {},
): Promise<CheckResult[]> {
  const started = await startTarget(project, 'reference', opts.deviations ?? [])
  try {
    const target = opts.withoutSessionExpiry
      ? { ...started.target, apis: Object.fromEntries(Object.entries(started.target.apis).map(([k, { sessionExpiry: _s, ...a }]) => [k, a])) }
      : started.target
    const runner = new Runner({ target, apis: project.apis, catalogue: project.catalogue, seed: 7 })
    try {
      return await runner.runAll(
        planChecks(project, target, {
          bindings: [opts.binding ?? 'soap11'],
          ...(opts.specs ? { specs: opts.specs } : {}),
          ...(opts.covers ? { covers: opts.covers } : {}),
        }),
      )
    } finally {
      await runner.close()
    }
  } finally {
    await started.stop()
  }
}

const CLEARS_MOBILE = (given: string) => `id: t.update-user-contact-info.clears-mobile
title: An empty mobileNumber clears it
covers: [IC-3]
api: inforouter
given:
  users:
    jane: ${given}
  caller: jane
when:
  UpdateUserContactInfo:
    userName: \${jane.userName}
    emailAddress: \${jane.email}
    mobileNumber: ""
then:
  response: { success: "true", error: "" }
  state:
    jane: { mobileNumber: "" }
`

describe('every check can fail: its precondition is verified before the call', () => {
  test('a user whose mobile is already empty makes "clears the mobile" an error of the run (setup, [PRECONDITION]), never a pass', async () => {
    const project = loadProject({ specsDir: specDir({ 'empty.yaml': CLEARS_MOBILE('{ role: member, with: { mobileNumber: "" } }') }) })
    const [r] = await run(project)
    expect(r).toMatchObject({ status: 'failed', category: 'setup' })
    expect(r!.message).toMatch(/^\[PRECONDITION\] jane\.mobileNumber is already "" before the call/)
    // The call under test was never sent.
    expect(r!.exchanges.map((x) => x.operation)).not.toContain('UpdateUserContactInfo')
  }, 60_000)

  test('given.users.X.set writes the starting value first: the check then passes, and catches a target where "" keeps the mobile', async () => {
    const project = loadProject({
      specsDir: specDir({ 'set.yaml': CLEARS_MOBILE('{ role: member, with: { mobileNumber: "" }, set: { mobileNumber: "${fake.mobile}" } }') }),
    })
    const [plain] = await run(project)
    expect(plain).toMatchObject({ status: 'passed' })
    expect(plain!.steps.map((s) => s.name)).toEqual([
      'provision',
      'authenticate',
      'snapshot',
      'establish',
      'precondition',
      'call',
      'validate',
      'read back',
      'restore',
    ])
    const [deviant] = await run(project, { deviations: ['ic-empty-preserves'] })
    expect(deviant).toMatchObject({ status: 'failed', category: 'behaviour' })
    expect(deviant!.message).toMatch(/expected jane\.mobileNumber = "" after the call/)
  }, 60_000)

  test('a starting value the write does not store stops the check, against the behaviours of api.yaml restore.behaviours', async () => {
    const project = loadProject({ specsDir: specDir({ 'set.yaml': CLEARS_MOBILE('{ role: member, set: { mobileNumber: "${fake.mobile}" } }') }) })
    // GetUser over GET answers MobileNumber="" whatever was stored: the check cannot start from a mobile number.
    const [r] = await run(project, { deviations: ['ic-http-user-without-mobile'], binding: 'http-get' })
    expect(r).toMatchObject({ status: 'failed', category: 'setup' })
    expect(r!.failures).toEqual([
      expect.objectContaining({
        behaviours: ['IC-1', 'IC-8'],
        message: expect.stringMatching(
          /^\[PRECONDITION\] could not give jane the starting values the check needs: UpdateUserContactInfo over http-get did not store mobileNumber \(asked "[^"]+", reads ""\)$/,
        ),
      }),
    ])
    // The establishing write only: the call under test was never sent.
    expect(r!.exchanges.filter((x) => x.operation === 'UpdateUserContactInfo')).toHaveLength(1)
  }, 60_000)
})

describe('an expired ticket (IE-7) is exercised where the target can expire one, and not verified elsewhere', () => {
  const specs = ['inforouter.update-user-email.expired-ticket', 'inforouter.update-user-contact-info.expired-ticket']

  test('the reference expires the ticket through its control endpoint: the checks pass, and fail when tickets never expire', async () => {
    const project = loadProject()
    const plain = await run(project, { specs })
    expect(plain.map((r) => [r.id, r.status])).toEqual(
      [
        [`${specs[1]}@soap11`, 'passed'],
        [`${specs[0]}@soap11`, 'passed'],
      ].sort(),
    )
    expect(plain[0]!.control?.some((x) => x.request.url.endsWith('/__reference/inforouter/sessions/expiry') && x.response?.status === 204)).toBe(true)
    const deviant = await run(project, { specs, deviations: ['ir-tickets-never-expire'] })
    expect(deviant.map((r) => r.status)).toEqual(['failed', 'failed'])
    expect(deviant.flatMap((r) => r.failures.flatMap((f) => f.behaviours))).toEqual(expect.arrayContaining(['IE-7', 'IC-6']))
  }, 60_000)

  test('a target without the capability skips them as not verified, with the reason', async () => {
    const results = await run(loadProject(), { specs, withoutSessionExpiry: true })
    for (const r of results) {
      expect(r.status).toBe('skipped')
      expect(r.message).toMatch(/^not verified: the check needs an expired session, and the target cannot expire one on demand/)
    }
  }, 60_000)
})

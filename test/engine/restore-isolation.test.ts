import { expect, test } from 'vitest'
import { CheckExecution } from '../../src/engine/check-execution.ts'
import { planChecks, type Check } from '../../src/engine/plan.ts'
import { Runner } from '../../src/engine/runner.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'
import { loadProject } from '../../src/project.ts'
import { NIL } from '../../src/yaml/source.ts'
import { type Staging, useStaging } from '../helpers/staging.ts'

/**
 * A check's users are put back side by side (CheckExecution.putBack), each on its own: one whose restore call cannot
 * be made (a snapshot without a value the call needs; a nil a form binding cannot send) fails alone, the others are
 * put back, and every request that went out is recorded. (Found by review: one such user once failed them all, and
 * a write already sent went unrecorded.)
 */
const project = loadProject()
let s!: Staging
useStaging(
  (started) => {
    s = started
  },
  { env: true },
)

function setup(binding: Check['binding']) {
  const target: ResolvedTarget = {
    name: 'staging',
    allowWrites: true,
    limits: { concurrency: 4, timeoutMs: 10_000, maxBodyBytes: 2_000_000 },
    apis: { inforouter: { baseUrl: s.url, fixtures: s.accounts.inforouter! } },
  }
  const r = new Runner({ target, apis: project.apis, catalogue: project.catalogue, seed: 3 })
  const [c] = planChecks(project, target, { specs: ['inforouter.update-user-email.admin-updates-anyone'], bindings: [binding] })
  return { r, run: new CheckExecution(c!, r.env, {}) }
}
const member = (n: number) => ({ ...s.accounts.inforouter!.member![n]!, userName: s.accounts.inforouter!.member![n]!.userName! })

for (const binding of ['soap11', 'http-post'] as const) {
  test(`${binding}: one user whose restore call cannot be made fails alone; the other is put back; what was sent is recorded`, async () => {
    const before = s.users()
    const { r, run } = setup(binding)
    const reader = (await r.env.reader('inforouter')).token
    const [jane, bob] = [member(0), member(1)]
    const janeBefore = await run.readBack(binding, jane, reader)
    const bobBefore = await run.readBack(binding, bob, reader)
    for (const [u, b] of [
      [jane, janeBefore],
      [bob, bobBefore],
    ] as const) {
      await run.call(
        binding,
        { operation: 'UpdateUserContactInfo', params: { userName: u.userName, emailAddress: 'changed@example.com', mobileNumber: b.mobileNumber } },
        reader,
      )
    }
    const writesBefore = s.writes.length
    const recordedBefore = run.exchanges.length
    // soap11: a snapshot without the mobile number the restore call sends; http-post: a nil no form can carry.
    const { mobileNumber: _, ...bobWithout } = bobBefore
    const bobSnapshot = binding === 'soap11' ? bobWithout : { ...bobBefore, mobileNumber: NIL }
    const [janeOut, bobOut] = await run.putBack(
      binding,
      [
        { user: jane, before: janeBefore, mayChange: undefined },
        { user: bob, before: bobSnapshot, mayChange: undefined },
      ],
      reader,
    )
    expect(janeOut).toMatchObject({ ok: true, value: { wrong: [], interfered: [] } })
    expect(bobOut!.ok).toBe(false)
    expect((janeOut as { value: { state: Record<string, unknown> } }).value.state.email).toBe(janeBefore.email)
    // Every write the target saw is in the record (none went out unrecorded).
    const recorded = run.exchanges.slice(recordedBefore)
    expect(recorded.filter((x) => x.purpose === 'restore write')).toHaveLength(s.writes.length - writesBefore)
    // Bob put back by hand, as `conform restore` would from the journal.
    await run.call(
      binding,
      { operation: 'UpdateUserContactInfo', params: { userName: bob.userName, emailAddress: bobBefore.email, mobileNumber: bobBefore.mobileNumber } },
      reader,
    )
    await r.close()
    expect(s.users()).toEqual(before)
  })
}

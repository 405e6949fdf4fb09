import { describe, expect, test } from 'vitest'
import { checkLength } from '../../src/engine/check-length.ts'
import { planChecks, type Check } from '../../src/engine/plan.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'
import { loadProject } from '../../src/project.ts'

const project = loadProject()
const target = {
  name: 't',
  allowWrites: true,
  limits: { concurrency: 1, timeoutMs: 1000, maxBodyBytes: 1000 },
  apis: Object.fromEntries([...project.apis.keys()].map((a) => [a, { baseUrl: 'http://x', fixtures: {} }])),
} as ResolvedTarget
const check = (id: string): Check => {
  const c = planChecks(project, target, { specs: [id] })[0]
  if (!c) throw new Error(`no check ${id}`)
  return c
}

// Each figure is what the check sent against the latency bench's staging-like target (conformance.json `requests`).
describe("a check's length: the requests it sends one after another", () => {
  test('a refused update: the call and the read-back that shows nothing changed', () => {
    expect(checkLength(check('ecgrid-rest.update-user.invalid-email'))).toBe(2)
  })

  test('a call that reads nothing after it: the restore reads the user', () => {
    expect(checkLength(check('ecgrid-rest.update-user.data-shape'))).toBe(2)
  })

  test('an accepted update read back: the restore writes and reads (it may write at once after that read)', () => {
    expect(checkLength(check('ecgrid-rest.update-user.updates-user'))).toBe(4)
    // Its restore also writes a field the call could not set: it reads first.
    expect(checkLength(check('ecgrid-rest.update-user.fields-left-out-unchanged'))).toBe(5)
  })

  test('an update answering the user: a read to compare; the restore reads the caller and the updated user at once, then writes and reads the updated one', () => {
    expect(checkLength(check('ecgrid-rest.update-user.root-updates-anyone'))).toBe(5)
    expect(checkLength(check('logicmelon.user-update.answer-validates'))).toBe(5)
  })

  test('a login whose session is never kept, and `before` calls', () => {
    expect(checkLength(check('inforouter.update-user-email.logged-out-ticket'))).toBe(4)
    // A check that may take a kept session: no login counted; a risky one never keeps one.
    const own = check('inforouter.update-user-email.updates-own-email')
    expect(checkLength(own, true)).toBe(checkLength(own) + 1)
  })

  test('a cross-API check: both APIs read after each update, the put-back between, the update through the other API', () => {
    expect(checkLength(check('ecgridos-v41.user-update.rest-equivalent'))).toBe(11)
  })

  test('given.users.X.set: a write and a read to establish, and a write and a read to put back', () => {
    const c = check('ecgrid-rest.update-user.invalid-email')
    const [alias, user] = Object.entries(c.spec.users)[0]!
    const withSet: Check = { ...c, spec: { ...c.spec, users: { ...c.spec.users, [alias]: { ...user, set: { email: 'a@b.example' } } } } }
    expect(checkLength(withSet)).toBe(checkLength(c) + 4)
  })
})

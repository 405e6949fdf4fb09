import { describe, expect, test } from 'vitest'
import { compareAnswers } from '../../src/compare/classify.ts'
import type { Noise } from '../../src/compare/noise.ts'
import type { RecordedAnswer, UserRecord } from '../../src/compare/run-record.ts'
import { userRoles, type RoleSide } from '../../src/compare/user-roles.ts'

/**
 * One ECGrid REST check on two targets that get ready differently: the baseline provisions its user and reads it before
 * the call; the candidate lends a fixture account whose state the run last verified (its restore journal), so it
 * makes no read before the call. The check's own exchanges (the PUT, the read back) are paired step by step.
 */
interface User {
  userId: number
  login: string
  email: string
  firstName: string
  lastName: string
  created: string
  lastLogin: string
  openSessions: number
}
const jane: User = {
  userId: 5004,
  login: 'janelle69a7r2dn',
  email: "cathy.d'auer@example.com",
  firstName: 'Ellsworth',
  lastName: 'Nikolaus',
  created: '2026-11-05T14:48:23Z',
  lastLogin: '2026-12-05T14:48:23Z',
  openSessions: 1,
}
const fixture: User = {
  userId: 7,
  login: 'keatonpagaci3he7j',
  email: 'kyla@example.com',
  firstName: 'Fix',
  lastName: 'Ture',
  created: '2026-01-01T09:00:00Z',
  lastLogin: '2026-12-05T14:54:52Z',
  openSessions: 3,
}
const NEW_NAME = 'Treva-Yū'

const STEPS = { snapshot: 1, call: 2, 'read back': 3 } as const
const get = (u: User, step: keyof typeof STEPS, body: Partial<User> = {}): RecordedAnswer => ({
  operation: 'GetUser',
  step,
  stepIndex: STEPS[step],
  method: 'GET',
  path: `/v2/users/${u.userId}`,
  status: 200,
  contentType: 'application/json',
  body: JSON.stringify({ success: true, data: { ...u, ...body } }),
  request: { contentType: '', body: '' },
})
const put = (u: User, answer: Partial<User> = {}): RecordedAnswer => ({
  operation: 'UpdateUser',
  step: 'call',
  stepIndex: STEPS.call,
  method: 'PUT',
  path: '/v2/users',
  status: 200,
  contentType: 'application/json',
  body: JSON.stringify({ success: true, data: { ...u, firstName: NEW_NAME, ...answer } }),
  request: { contentType: 'application/json', body: JSON.stringify({ userId: u.userId, firstName: NEW_NAME }) },
})
const record = (u: User, keys: Array<keyof User>): UserRecord => Object.fromEntries(keys.map((k) => [k, String(u[k])]))

/** The baseline: provisioned (what it asked for, the ID it got), read before the call. */
const baseline = (): RoleSide => ({
  setup: [get(jane, 'snapshot')],
  answers: [put(jane), get(jane, 'read back', { firstName: NEW_NAME })],
  users: [record(jane, ['login', 'email', 'firstName', 'lastName', 'userId'])],
})
/** The candidate: no read before the call; the journal's state of the account (the fields the run tracks). */
const candidate = (
  changes: { put?: Partial<User>; readBack?: Partial<User> } = {},
  users = [record(fixture, ['userId', 'login', 'email', 'firstName', 'lastName', 'created'])],
): RoleSide => ({
  setup: [],
  answers: [put(fixture, changes.put), get(fixture, 'read back', { firstName: NEW_NAME, ...changes.readBack })],
  users,
})

const noNoise: Noise = { values: new Set(), shapes: new Set(), identifiers: new Set() }
const differences = (c: RoleSide) => {
  const b = baseline()
  return compareAnswers(b.answers, c.answers, noNoise, userRoles(b, c)).map((d) => `${d.kind} ${d.path}: ${d.baseline} → ${d.candidate}`)
}

describe('users known without a read: linked by what the check sent', () => {
  test('the candidate behaves alike: no difference, though it read nothing before the call', () => {
    expect(differences(candidate())).toEqual([])
  })

  test('without its known users every field of the user differs: the records are what map them', () => {
    expect(differences(candidate({}, [])).length).toBeGreaterThan(3)
  })

  test("another user's login where the baseline names this one differs", () => {
    expect(differences(candidate({ readBack: { login: 'someone-else' } }))).toEqual([`value $.data.login: "${jane.login}" → "someone-else"`])
  })

  test('the value the check sent, not stored, differs', () => {
    expect(differences(candidate({ readBack: { firstName: fixture.firstName } }))).toEqual([`value $.data.firstName: "${NEW_NAME}" → "${fixture.firstName}"`])
  })

  test("a date written another way differs, whoever's date it is", () => {
    // The candidate writes its dates without a zone, in its answers as in what the run knew of the account.
    const unzoned = { ...fixture, created: '2026-01-01T09:00:00' }
    const c: RoleSide = {
      setup: [],
      answers: [put(unzoned), get(unzoned, 'read back', { firstName: NEW_NAME })],
      users: [record(unzoned, ['userId', 'login', 'email', 'firstName', 'lastName', 'created'])],
    }
    expect(differences(c)).toEqual([
      `format $.data.created: "${jane.created}" → "2026-01-01T09:00:00"`,
      `format $.data.created: "${jane.created}" → "2026-01-01T09:00:00"`,
    ])
    // Its answer no longer what the run knew of the account: a value of its own, not the user's.
    expect(differences(candidate({ readBack: { created: '2026-01-01T09:00:00' } }))).toEqual([
      `value $.data.created: "${jane.created}" → "2026-01-01T09:00:00"`,
    ])
  })

  test("a field no side tracked is the user's history: compared by format, none on one side allowed", () => {
    // lastLogin and openSessions: the baseline read them before the call, the candidate's journal does not hold them.
    expect(differences(candidate())).toEqual([])
    expect(differences(candidate({ readBack: { lastLogin: '' } }))).toEqual([])
    expect(differences(candidate({ readBack: { lastLogin: 'yesterday' } }))).toEqual([`value $.data.lastLogin: "${jane.lastLogin}" → "yesterday"`])
    expect(differences(candidate({ readBack: { openSessions: -3 } }))).toEqual([`value $.data.openSessions: 1 → -3`])
    // Not for the value the check sent: that must come back as sent, even in a field the run does not track.
    const untracked = [record(fixture, ['userId', 'login', 'email', 'lastName', 'created'])]
    expect(differences(candidate({}, untracked))).toEqual([])
    expect(differences(candidate({ readBack: { firstName: 'Other-Name' } }, untracked))).toEqual([`value $.data.firstName: "${NEW_NAME}" → "Other-Name"`])
  })

  test('history is only what an answer describing a user holds: a lone count elsewhere compares by value', () => {
    const b = baseline()
    const lone = (n: number): RecordedAnswer => ({
      operation: 'Logout',
      step: 'call',
      stepIndex: STEPS.call,
      method: 'POST',
      path: '/logout',
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ left: n }),
      request: { contentType: '', body: '' },
    })
    const c = candidate()
    const roles = userRoles({ ...b, answers: [lone(0)] }, { ...c, answers: [lone(2)] })
    expect(compareAnswers([lone(0)], [lone(2)], noNoise, roles).map((d) => d.kind)).toEqual(['value'])
  })
})

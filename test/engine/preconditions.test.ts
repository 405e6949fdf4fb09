import { describe, expect, test } from 'vitest'
import { compileTemplates } from '../../src/expr.ts'
import { preconditionProblems, selectedAlias, type PreconditionInput } from '../../src/engine/preconditions.ts'
import { NIL, OMIT } from '../../src/yaml/source.ts'
import { project } from '../helpers/run-suite.ts'
import type { Call, Then } from '../../src/spec/model.ts'

const at = (path: Array<string | number>) => `spec.yaml:${path.join('.')}`
const lm = () => project().apis.get('logicmelon')!
const ir = () => project().apis.get('inforouter')!

function input(over: Partial<PreconditionInput> & { then: Then; when: Call }): PreconditionInput {
  return {
    api: ir(),
    rawThen: over.then,
    vars: {},
    before: {},
    selected: 'jane',
    updateable: ['email', 'mobileNumber'],
    types: () => undefined,
    locate: at,
    ...over,
  }
}

const contactInfo = (params: Call['params']): Call => ({
  operation: 'UpdateUserContactInfo',
  params: { userName: '${jane.userName}', ...params },
  at: ['when', 'UpdateUserContactInfo'],
})

describe('[PRECONDITION]: every check can fail', () => {
  test('a field expected to become "" must not be "" already', () => {
    const then = { state: { jane: { mobileNumber: '' } } }
    const when = contactInfo({ emailAddress: '${jane.email}', mobileNumber: '' })
    expect(preconditionProblems(input({ then, when, before: { jane: { mobileNumber: '', email: 'a@b.c' } } }))).toEqual([
      '[PRECONDITION] jane.mobileNumber is already "" before the call, so the expectation that it becomes "" (spec.yaml:then.state.jane.mobileNumber) cannot fail: give it another value first (given.users.jane.set)',
    ])
    expect(preconditionProblems(input({ then, when, before: { jane: { mobileNumber: '+44 7700', email: 'a@b.c' } } }))).toEqual([])
  })

  test('typed values compare by meaning: a flag expected "true" that is 1 already cannot change', () => {
    const then = { state: { jane: { bbdExpiredEmail: { applied: 'true' } } } }
    const when: Call = {
      operation: 'UserUpdate',
      params: { 'Request.User.UserID': '${jane.userId}', 'Request.User.BBDExpiredEmail': 'true' },
      at: ['when', 'UserUpdate'],
    }
    const types = (f: string) => (f === 'bbdExpiredEmail' ? ('boolean' as const) : undefined)
    expect(
      preconditionProblems(input({ api: lm(), then, when, types, updateable: ['bbdExpiredEmail'], before: { jane: { bbdExpiredEmail: '1' } } })),
    ).toHaveLength(1)
    // Not updateable on this target: `applied` means "as before", which holds either way.
    expect(preconditionProblems(input({ api: lm(), then, when, types, updateable: [], before: { jane: { bbdExpiredEmail: '1' } } }))).toEqual([])
  })

  test('"kept at its own value" and generated values are not held against the spec', () => {
    const before = { jane: { email: 'a@b.c', mobileNumber: '1' } }
    const raw = { state: { jane: { email: '${jane.email}', mobileNumber: '${vars.m}' } } }
    const then = { state: { jane: { email: 'a@b.c', mobileNumber: '1' } } }
    const when = contactInfo({ emailAddress: '${jane.email}', mobileNumber: '${vars.m}' })
    // As loaded: templates parsed (src/spec/load-spec.ts).
    const rawThen = compileTemplates(raw)
    expect(preconditionProblems(input({ then, rawThen, when, before, vars: compileTemplates({ m: '${vars.n}', n: '${fake.mobile}' }) }))).toEqual([])
    // A var that is not generated is a value the spec fixes: already there, the expectation cannot fail.
    expect(preconditionProblems(input({ then, rawThen, when, before, vars: { m: '1' } }))).toHaveLength(1)
    // The same text unparsed is a literal: the spec fixes it, so the precondition holds against it.
    expect(preconditionProblems(input({ then, rawThen: raw, when, before, vars: {} }))).toHaveLength(2)
  })

  test('a field left out or sent as nil and expected kept must hold a value (empty, false, 0 look cleared)', () => {
    const when = contactInfo({ emailAddress: NIL, mobileNumber: OMIT })
    const then = { state: { jane: {} } }
    expect(preconditionProblems(input({ then, when, before: { jane: { email: 'a@b.c', mobileNumber: '07700' } } }))).toEqual([])
    const problems = preconditionProblems(input({ then, when, before: { jane: { email: '', mobileNumber: '' } } }))
    expect(problems).toEqual([
      '[PRECONDITION] jane.email is "" before the call, so the check that sending it as nil keeps it (spec.yaml:when.UpdateUserContactInfo.emailAddress) cannot fail: give it a value first (given.users.jane.set)',
      '[PRECONDITION] jane.mobileNumber is "" before the call, so the check that leaving it out keeps it (spec.yaml:when.UpdateUserContactInfo.mobileNumber) cannot fail: give it a value first (given.users.jane.set)',
    ])
    const flags: Call = { operation: 'UserUpdate', params: { 'Request.User.UserID': '1', 'Request.User.BBDExpiredEmail': OMIT }, at: ['when', 'UserUpdate'] }
    const types = () => 'boolean' as const
    expect(preconditionProblems(input({ api: lm(), then, when: flags, types, before: { jane: { bbdExpiredEmail: 'false' } } }))).toHaveLength(1)
    expect(preconditionProblems(input({ api: lm(), then, when: flags, types, before: { jane: { bbdExpiredEmail: 'true' } } }))).toEqual([])
  })

  test('the user a call changes is the one its selecting param names; a tie goes to the key field', () => {
    const users = { admin: { userId: '7', organisationId: '12' }, jane: { userId: '12', organisationId: '3' } }
    expect(selectedAlias(['Request.User.UserID'], [['Request.User.UserID', '12']], users, 'userId')).toBe('jane')
    expect(selectedAlias(['userName'], [['userName', 'bob']], { jane: { userName: 'jane' }, bob: { userName: 'bob' } }, 'userName')).toBe('bob')
    expect(selectedAlias(['UserID'], [['UserID', '99']], users, 'userId')).toBeUndefined()
  })
})

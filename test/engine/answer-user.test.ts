import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { answerDifferences, answerUserState } from '../../src/engine/compare-states.ts'
import { userFieldTypes } from '../../src/engine/value-types.ts'
import { SPECS_DIR } from '../../src/paths.ts'
import { loadApi } from '../../src/spec/load-api.ts'
import { SourceFile } from '../../src/yaml/source.ts'
import { project } from '../helpers/run-suite.ts'

const api = (name: string) => project().apis.get(name)!

describe('[ANSWER_STALE]: an update answer shows the user as stored', () => {
  test('api.yaml says where each answer carries the user: ECGridOS at its root, REST under data, LogicMelon without CUser.', () => {
    const lm = api('logicmelon')
    expect(lm.operations.UserUpdate!.answer.user).toEqual({ path: '', readBackPath: 'CUser', key: 'userId', behaviours: ['LM-3'] })
    expect(answerUserState(lm.user.fields, lm.operations.UserUpdate!.answer.user!, { UserID: '12', Fax: '0100', BBDExpiredEmail: 'true' })).toEqual({
      userId: '12',
      fax: '0100',
      bbdExpiredEmail: 'true',
    })
    const rest = api('ecgrid-rest')
    expect(answerUserState(rest.user.fields, rest.operations.UpdateUser!.answer.user!, { success: true, data: { userId: 5, login: 'jane' } })).toEqual({
      userId: 5,
      login: 'jane',
    })
    // An error envelope carries no user: nothing to compare.
    expect(answerUserState(rest.user.fields, rest.operations.UpdateUser!.answer.user!, { success: false, data: null })).toBeUndefined()
    expect(api('ecgridos').operations.UserUpdate!.answer.user?.behaviours).toEqual(['EO-4'])
  })

  test('fields compare by meaning, with the types of the read-back schema', () => {
    const eo = api('ecgridos')
    const types = userFieldTypes(eo)
    const stored = { userId: '5001', firstName: 'Ann', created: '2024-01-15T09:30:00Z', networkId: '7' }
    expect(answerDifferences({ userId: '+05001', firstName: 'Ann', created: '2024-01-15T10:30:00+01:00', networkId: '7' }, stored, types)).toEqual([])
    expect(answerDifferences({ userId: '5001', firstName: 'Anne', created: '2024-01-15T09:30:00', networkId: '9' }, stored, types)).toEqual([
      'firstName: answered "Anne", stored "Ann"',
      'networkId: answered "9", stored "7"',
    ])
    const lm = api('logicmelon')
    // A flag's spelling counts as it comes when it is no xs:boolean; nil and "" are the same empty text.
    expect(answerDifferences({ bbdExpiredEmail: 'True', fax: null }, { bbdExpiredEmail: 'true', fax: '' }, userFieldTypes(lm))).toEqual([
      'bbdExpiredEmail: answered "True", stored "true"',
    ])
  })

  test('answer.user is checked when api.yaml loads: a known key, a readBackPath every field lies under, a writing operation', () => {
    const file = resolve(SPECS_DIR, 'logicmelon', 'api.yaml')
    const text = readFileSync(file, 'utf8')
    const load = (t: string) => loadApi(SourceFile.parse(t, file)).errors.map((e) => `${e.code}: ${e.message}`)
    expect(load(text)).toEqual([])
    expect(load(text.replace('user: { readBackPath: CUser, key: userId,', 'user: { readBackPath: CUser, key: userID,'))).toEqual([
      expect.stringMatching(/^UNKNOWN_FIELD: answer.user.key: users have no field "userID"/),
    ])
    expect(load(text.replace('user: { readBackPath: CUser, key: userId,', 'user: { readBackPath: User, key: userId,'))).toEqual([
      expect.stringMatching(/^UNKNOWN_FIELD: answer.user.readBackPath: the user.fields of userId, .* do not lie under "User"/),
    ])
    expect(
      load(
        text.replace(
          'answer: { schema: logicmelon/user-list.schema.json, behaviours: [LM-8] }',
          'answer: { schema: logicmelon/user-list.schema.json, behaviours: [LM-8], user: { key: userId, behaviours: [LM-3] } }',
        ),
      ),
    ).toEqual([expect.stringMatching(/^NOT_A_WRITE: answer.user: UserList must be a writing operation/)])
  })
})

import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { planChecks, planningTarget } from '../../src/engine/plan.ts'
import { unrestorable, updateableOn, writeReach } from '../../src/engine/restorable.ts'
import { SPECS_DIR } from '../../src/paths.ts'
import { loadProject } from '../../src/project.ts'
import { loadApi } from '../../src/spec/load-api.ts'
import { SourceFile } from '../../src/yaml/source.ts'

/**
 * The data behind "never change what cannot be put back": each API's restorable fields (derived from its restore call
 * and read-back), each writing operation's `selects` and `sets`, and which checks they make risky.
 */
const project = loadProject({})
const target = planningTarget([...project.apis.keys()])
const cases = planChecks(project, target)
const riskyOf = (t = target) => [...new Set(cases.filter((c) => unrestorable(c, updateableOn(t, c.api)).length).map((c) => c.spec.id))].sort()

describe('what each API can put back', () => {
  test('the fields its restore call writes back and its read-back shows', () => {
    expect(project.apis.get('inforouter')!.restorable).toEqual(['email', 'mobileNumber'])
    expect(project.apis.get('ecgridos')!.restorable).toEqual(['email', 'firstName', 'lastName'])
    expect(project.apis.get('ecgrid-rest')!.restorable).toEqual(['email', 'firstName', 'lastName'])
    const lm = project.apis.get('logicmelon')!
    expect([...lm.restorable].sort()).toEqual([...lm.user.updateable!].sort())
    expect(lm.restorable).not.toContain('userRoleId')
  })

  test('risky checks: those sending a param that sets a field the restore cannot write back, or sets no known field', () => {
    expect(riskyOf()).toEqual([
      'ecgrid-rest.update-user.malformed-json',
      'ecgrid-rest.update-user.mass-assignment-ignored',
      'ecgrid-rest.update-user.wrong-content-type',
      'logicmelon.user-update.empty-clears-updateable-strings',
      'logicmelon.user-update.every-field-submitted-or-kept',
      'logicmelon.user-update.move-not-possible',
      'logicmelon.user-update.round-trip-changes-nothing',
      'logicmelon.user-update.round-trip-keeps-password',
      'logicmelon.user-update.updates-updateable-fields',
    ])
    const roundTrip = cases.find((c) => c.spec.id === 'logicmelon.user-update.round-trip-keeps-password')!
    expect(unrestorable(roundTrip, updateableOn(target, roundTrip.api))).toEqual(['organisationId', 'password', 'userIdentifier', 'userRoleId', 'username'])
  })

  test('allowed: read-only checks, credentials, the token and the params that name the user set nothing', () => {
    const read = cases.find((c) => c.spec.id === 'logicmelon.user-list.password-not-echoed')!
    expect(writeReach(read)).toEqual({ fields: [], unknown: [] })
    const position = cases.find((c) => c.spec.id === 'logicmelon.user-update.password-not-echoed')!
    expect(writeReach(position)).toEqual({ fields: ['position'], unknown: [] })
    const email = cases.find((c) => c.spec.id.startsWith('inforouter.update-user-email.updates-own-email'))!
    expect(writeReach(email)).toEqual({ fields: ['email'], unknown: [] })
  })

  test('a field the target does not let the API update cannot be put back on that target either', () => {
    const narrow = planningTarget([...project.apis.keys()])
    narrow.apis.inforouter!.updateable = ['email']
    expect(riskyOf(narrow)).toContain('inforouter.update-user-contact-info.updates-both-fields')
    expect(riskyOf(narrow)).not.toContain('inforouter.update-user-email.updates-own-email')
  })
})

describe('api.yaml selects and sets are checked where they are written', () => {
  const file = resolve(SPECS_DIR, 'ecgridos', 'api.yaml')
  const original = readFileSync(file, 'utf8')
  const load = (text: string) => loadApi(SourceFile.parse(text, file)).errors.map((e) => e.describe().replace(`${file}:`, ''))

  test('the shipped file loads', () => {
    expect(load(original)).toEqual([])
  })

  test('an unknown param, a field users do not have, a param both selecting and setting', () => {
    const broken = original
      .replace('selects: [UserID]', 'selects: [UserID, Nobody]')
      .replace(
        'sets: { FirstName: firstName, LastName: lastName, Email: email }',
        'sets: { FirstName: firstName, LastName: surname, Email: email, Nope: email, UserID: userId }',
      )
    const errors = load(broken)
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\d+:\d+ UNKNOWN_PARAM selects: "Nobody" is not among the params of UserUpdate$/),
        expect.stringMatching(/^\d+:\d+ UNKNOWN_FIELD sets: users have no field "surname"/),
        expect.stringMatching(/^\d+:\d+ UNKNOWN_PARAM sets: "Nope" is not among the params of UserUpdate$/),
        expect.stringMatching(/^\d+:\d+ DUPLICATE_PARAM sets: "UserID" is also in selects/),
      ]),
    )
    expect(errors).toHaveLength(4)
  })

  test('selects and sets on an operation that does not write', () => {
    const broken = original.replace('    params: [SessionID, UserID]\n', '    params: [SessionID, UserID]\n    sets: { UserID: userId }\n')
    expect(load(broken)).toEqual([expect.stringMatching(/^\d+:\d+ NOT_A_WRITE UserInfo: selects and sets describe writing operations/)])
  })
})

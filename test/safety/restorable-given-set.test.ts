import { describe, expect, test } from 'vitest'
import { planChecks, planningTarget } from '../../src/engine/plan.ts'
import { unrestorable, updateableOn, writeReach } from '../../src/engine/restorable.ts'
import { loadProject } from '../../src/project.ts'

/**
 * `given … set` writes starting values through the API's restore call, so it can change only what the restore writes
 * back: those fields are the check's own writes (a stopped check puts them back, 8f1af65), but they never make a check
 * risky (docs/safety.md: risky is what the `when`, a `before` or the other API's call could change). A target whose
 * `updateable` list is narrower (the example staging LogicMelon in conform.config.yaml) still runs these checks on
 * ordinary accounts, as it did before.
 */
const project = loadProject({})
const cases = planChecks(project, planningTarget([...project.apis.keys()]))
const narrow = planningTarget([...project.apis.keys()])
narrow.apis.logicmelon!.updateable = ['firstName', 'lastName', 'phone', 'email', 'mobile', 'position']
const check = (id: string) => cases.find((c) => c.spec.id === id && c.binding === 'soap11')!

describe('starting values (given … set) and risky checks', () => {
  test('a check whose calls keep to updateable fields is not risky for the values it starts from', () => {
    const c = check('logicmelon.user-update.left-out-fields-unchanged')
    expect(Object.values(c.spec.users).some((u) => u.set)).toBe(true)
    expect(unrestorable(c, updateableOn(narrow, c.api))).toEqual([])
  })

  test('the values it starts from are still its own writes', () => {
    const c = check('logicmelon.user-update.left-out-fields-unchanged')
    expect(writeReach(c).fields).toEqual(expect.arrayContaining(['applicationsEmail', 'fax', 'userAddress2']))
  })

  test('what its calls send outside the updateable fields still makes it risky', () => {
    // nil-fields-unchanged sends every field (nil) in its call: the narrow target cannot take those back.
    const nil = check('logicmelon.user-update.nil-fields-unchanged')
    expect(unrestorable(nil, updateableOn(narrow, nil.api))).toEqual(expect.arrayContaining(['fax', 'userAddress1']))
    const all = check('logicmelon.user-update.updates-updateable-fields')
    expect(unrestorable(all, updateableOn(narrow, all.api))).toContain('password')
  })
})

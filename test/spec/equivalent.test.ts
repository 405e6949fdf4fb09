import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { SpecErrors } from '../../src/errors.ts'
import { planChecks, planningTarget } from '../../src/engine/plan.ts'
import { loadProject } from '../../src/project.ts'
import { SPECS_DIR } from '../../src/paths.ts'

const SPEC = readFileSync(resolve(SPECS_DIR, 'ecgridos/user-update/rest-equivalent.yaml'), 'utf8')

/** A specs folder with both ECGrid APIs and one cross-API spec. */
function project(spec: string) {
  const dir = mkdtempSync(join(tmpdir(), 'conform-equivalent-'))
  cpSync(resolve(SPECS_DIR, 'behaviours.yaml'), join(dir, 'behaviours.yaml'))
  for (const api of ['ecgridos', 'ecgrid-rest']) {
    mkdirSync(join(dir, api, 'x'), { recursive: true })
    cpSync(resolve(SPECS_DIR, api, 'api.yaml'), join(dir, api, 'api.yaml'))
  }
  writeFileSync(join(dir, 'ecgridos', 'x', 'eq.yaml'), spec)
  return loadProject({ specsDir: dir })
}

function errorsFor(spec: string): string[] {
  try {
    project(spec)
  } catch (e) {
    if (!(e instanceof SpecErrors)) throw e
    return e.errors.map((x) => `${x.code}@${x.location?.line}:${x.location?.column} ${x.message}`)
  }
  return []
}

describe('a cross-API spec', () => {
  test('loads, and plans one check on soap11 with rest-json as its counterpart', () => {
    const p = project(SPEC)
    const cases = planChecks(p, planningTarget(['ecgridos', 'ecgrid-rest']))
    expect(cases.map((c) => [c.id, c.binding, c.counterpart?.api.api, c.counterpart?.binding, c.writes])).toEqual([
      ['ecgridos.user-update.rest-equivalent@soap11+rest-json', 'soap11', 'ecgrid-rest', 'rest-json', true],
    ])
  })

  test('is planned when only the counterpart binding is asked for', () => {
    const cases = planChecks(project(SPEC), planningTarget(['ecgridos', 'ecgrid-rest']), { bindings: ['rest-json'] })
    expect(cases).toHaveLength(1)
  })

  const line = (text: string) => SPEC.split('\n').findIndex((l) => l.includes(text)) + 1
  test.for([
    ['unknown other API', SPEC.replace('api: ecgrid-rest', 'api: ecgrid-rust'), `UNKNOWN_API@${line('api: ecgrid-rest')}:8`, /ecgrid-rest/],
    ['the same API twice', SPEC.replace('api: ecgrid-rest', 'api: ecgridos'), `UNKNOWN_API@${line('api: ecgrid-rest')}:8`, /itself/],
    [
      'an operation of the other API that does not exist',
      SPEC.replace('    UpdateUser:', '    UserUpdate:'),
      `UNKNOWN_OPERATION@${line('    UpdateUser:')}:5`,
      /UpdateUser/,
    ],
    [
      "a parameter in the wrong API's spelling",
      SPEC.replace('      userId: ${jane.userId}', '      UserID: ${jane.userId}'),
      `UNKNOWN_PARAM@${line('      userId: ${jane.userId}')}:7`,
      /userId/,
    ],
    [
      'a binding the other API does not offer',
      SPEC.replace('binding: rest-json', 'binding: soap11'),
      `UNKNOWN_BINDING@${line('binding: rest-json')}:12`,
      /rest-json/,
    ],
    ['a field one API does not have', SPEC.replace('fields: [userId,', 'fields: [UserID,'), `UNKNOWN_FIELD@${line('fields: [userId,')}:12`, /fields of both/],
    [
      'an instant that is not compared',
      SPEC.replace('instants: [created]', 'instants: [creation]'),
      `UNKNOWN_FIELD@${line('instants: [created]')}:14`,
      /not among/,
    ],
    [
      'an unknown name in the other call',
      SPEC.replace('      firstName: ${vars.first}', '      firstName: ${vars.frist}'),
      `BAD_REFERENCE@${line('      firstName: ${vars.first}')}:18`,
      /frist/,
    ],
    ['no caller user', SPEC.replace('  caller: jane\n', ''), `EQUIVALENT_NEEDS_CALLER@${line('equivalent:') - 1}:1`, /caller/],
  ] as const)('%s is refused with its code and position', ([, spec, expected, message]) => {
    const errors = errorsFor(spec)
    const match = errors.find((e) => e.startsWith(`${expected} `))
    expect(match, `expected ${expected}, got ${JSON.stringify(errors)}`).toBeDefined()
    expect(match).toMatch(message)
  })
})

import { describe, expect, test } from 'vitest'
import { Template } from '../../src/expr.ts'
import { loadProject } from '../../src/project.ts'

/** Every string under `value` that still holds `${` (a template left unparsed), with its path. */
function unparsed(value: unknown, path: string, out: string[] = []): string[] {
  if (typeof value === 'string') {
    if (value.includes('${')) out.push(`${path}: ${value}`)
  } else if (value instanceof Template) {
    // parsed: what the engine evaluates
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => unparsed(v, `${path}[${i}]`, out))
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) unparsed(v, `${path}.${k}`, out)
  }
  return out
}

/**
 * Specs and API descriptions are loaded into their parsed form: every `${…}` is a Template the engine evaluates for
 * each check (src/engine/user-state.ts evaluateDeep), never a string it would have to parse (a string is a literal).
 */
describe('the parsed form', () => {
  const project = loadProject()

  test('no spec holds an unparsed template where the engine evaluates values', () => {
    const found = project.specs.flatMap((s) =>
      unparsed(
        {
          users: s.users,
          caller: s.caller,
          vars: s.vars,
          before: s.before.map((c) => c.params),
          when: s.when.params,
          then: s.then,
          equivalent: s.equivalent?.when.params,
        },
        s.id,
      ),
    )
    expect(found).toEqual([])
    // And they are there: the project's specs use templates everywhere.
    const templates = project.specs.filter((s) => Object.values(s.when.params).some((v) => v instanceof Template)).length
    expect(templates).toBeGreaterThan(100)
  })

  test('no API description holds an unparsed template in what the engine evaluates', () => {
    const found = [...project.apis.values()].flatMap((a) =>
      unparsed(
        {
          login: a.auth.login?.params,
          logout: a.auth.logout?.params,
          credential: a.auth.credential,
          provision: a.user.provision,
          readBack: a.readBack.call.params,
          restore: a.restore.call.params,
        },
        a.api,
      ),
    )
    expect(found).toEqual([])
    expect([...project.apis.values()].every((a) => Object.values(a.readBack.call.params).some((v) => v instanceof Template))).toBe(true)
  })
})

import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { SpecErrors } from '../../src/errors.ts'
import { loadProject } from '../../src/project.ts'
import { specDir, VALID_SPEC } from '../helpers/spec-dir.ts'

function errorsFor(spec: string): Array<{ code: string; where: string; message: string }> {
  try {
    loadProject({ specsDir: specDir({ 's.yaml': spec }) })
  } catch (e) {
    if (!(e instanceof SpecErrors)) throw e
    return e.errors.map((x) => ({ code: x.code, where: `${x.location?.line}:${x.location?.column}`, message: x.message }))
  }
  return []
}

describe('a valid spec', () => {
  test('loads without errors', () => {
    expect(errorsFor(VALID_SPEC)).toEqual([])
  })
})

/** Each mutation of the valid spec must give this code at this line:column. */
const CORPUS: Array<[string, string, string, RegExp?]> = [
  ['unknown top-level key', VALID_SPEC.replace('covers:', 'coverz:'), 'UNKNOWN_KEY@3:1'],
  ['missing required key', VALID_SPEC.replace('title: Same email is a no-op\n', ''), 'MISSING_KEY@1:1', /title/],
  ['wrong type for covers', VALID_SPEC.replace('covers: [IE-4]', 'covers: IE-4'), 'WRONG_TYPE@3:9', /array/],
  ['unknown behaviour ID', VALID_SPEC.replace('[IE-4]', '[IE-4, IE-99]'), 'UNKNOWN_BEHAVIOUR@3:16', /IE-99/],
  ['behaviour of another API', VALID_SPEC.replace('[IE-4]', '[EO-1]'), 'WRONG_API@3:10', /ecgridos/],
  ['bad YAML indentation', VALID_SPEC.replace('  caller: jane', ' caller: jane'), 'YAML_SYNTAX@8:1'],
  ['unclosed expression', VALID_SPEC.replace('${jane.email}', '${jane.email'), 'BAD_EXPRESSION@12:22', /unclosed/],
  ['operator in an expression', VALID_SPEC.replace('${jane.email}', '${jane.email + 1}'), 'BAD_EXPRESSION@12:22', /no operators/],
  ['unknown user in an expression', VALID_SPEC.replace('${jane.email}', '${bob.email}'), 'BAD_REFERENCE@12:22', /bob/],
  ['unknown user field', VALID_SPEC.replace('${jane.email}', '${jane.mail}'), 'BAD_REFERENCE@12:22', /no field "mail"/],
  ['unknown fake generator', VALID_SPEC.replace('${jane.email}', '${fake.emial}'), 'BAD_REFERENCE@12:22', /fake generator/],
  ['env in a spec', VALID_SPEC.replace('${jane.email}', '${env:HOME}'), 'BAD_REFERENCE@12:22', /environment/],
  ['unknown operation', VALID_SPEC.replace('  UpdateUserEmail:', '  UpdateUserMail:'), 'UNKNOWN_OPERATION@10:3', /UpdateUserEmail/],
  ['unknown parameter (case matters)', VALID_SPEC.replace('    UserName:', '    userName:'), 'UNKNOWN_PARAM@11:5', /case-sensitive/],
  ['parameter left out without !omit', VALID_SPEC.replace('    NewEmailAddress: ${jane.email}\n', ''), 'MISSING_PARAM@10:3', /NewEmailAddress/],
  ['unknown role', VALID_SPEC.replace('role: member', 'role: admin'), 'UNKNOWN_ROLE@7:19', /sysadmin/],
  ['caller not among users', VALID_SPEC.replace('caller: jane', 'caller: joe'), 'UNKNOWN_USER@8:11'],
  ['unchanged names an unknown user', VALID_SPEC.replace('unchanged: [jane]', 'unchanged: [joe]'), 'UNKNOWN_USER@15:15'],
  ['unknown tag', VALID_SPEC.replace('${jane.email}', '!nul'), 'YAML_UNKNOWN_TAG@12:22', /!nil/],
  [
    'nil over GET',
    VALID_SPEC.replace('api: inforouter', 'api: inforouter\nbindings: [http-get]').replace('${jane.email}', '!nil'),
    'NIL_NOT_SENDABLE@5:12',
    /has no nil/,
  ],
  [
    'binding the behaviour does not apply to',
    VALID_SPEC.replace('[IE-4]', '[IE-10]').replace('api: inforouter', 'api: inforouter\nbindings: [soap11]'),
    'BINDING_NOT_APPLICABLE@5:12',
  ],
  ['unknown binding name', VALID_SPEC.replace('api: inforouter', 'api: inforouter\nbindings: [soap13]'), 'BAD_VALUE@5:12', /soap12/],
  ['unknown state field', VALID_SPEC.replace('  unchanged: [jane]', '  state:\n    jane: { mail: x }'), 'UNKNOWN_FIELD@16:13', /email/],
  ['two outcomes', VALID_SPEC.replace('  unchanged: [jane]', '  fault: { code: soap:Client }'), 'CONFLICTING_OUTCOMES@15:3'],
  [
    'a fault code that is not a QName of the envelope or in {uri}local form',
    VALID_SPEC.replace('  response: { success: "true", error: "" }', '  fault: { code: s:Client }'),
    'BAD_VALUE@14:18',
    /pattern/,
  ],
  ['unknown api', VALID_SPEC.replace('api: inforouter', 'api: inforuter'), 'UNKNOWN_API@4:6', /inforouter/],
  ['bad id', VALID_SPEC.replace('id: t.update-user-email.noop', 'id: Not An Id'), 'BAD_VALUE@1:5', /pattern/],
  ['duplicate key', VALID_SPEC.replace('api: inforouter', 'api: inforouter\napi: inforouter'), 'YAML_SYNTAX@5:1', /unique/],
  ['empty file', '', 'WRONG_TYPE@1:1', /object/],
]

describe('a broken spec is refused with its code and position', () => {
  test.for(CORPUS)('%s', ([, spec, expected, message]) => {
    const errors = errorsFor(spec)
    const [code, where] = expected.split('@')
    const match = errors.find((e) => e.code === code)
    expect(match, `expected ${expected}, got ${JSON.stringify(errors)}`).toBeDefined()
    expect(match!.where).toBe(where)
    if (message) expect(match!.message).toMatch(message)
  })

  test('two specs with the same id', () => {
    try {
      loadProject({ specsDir: specDir({ 'a.yaml': VALID_SPEC, 'b.yaml': VALID_SPEC }) })
      expect.unreachable()
    } catch (e) {
      expect((e as SpecErrors).errors.map((x) => [x.code, x.location?.file.endsWith('b.yaml'), x.location?.line])).toEqual([['DUPLICATE_ID', true, 1]])
    }
  })
})

describe('a broken config is refused with its code and position', () => {
  const config = (text: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'conform-config-')), 'conform.config.yaml')
    writeFileSync(file, text)
    try {
      loadProject({ configFile: file })
    } catch (e) {
      return (e as SpecErrors).errors.map((x) => `${x.code}@${x.location?.line}:${x.location?.column}`)
    }
    return []
  }
  const staging = (account: string) =>
    `targets:\n  staging:\n    apis:\n      inforouter:\n        baseUrl: https://x.example\n        fixtures:\n          member:\n            - ${account}\n`

  test('a literal password', () => {
    expect(config(staging('{ userName: jane, password: hunter2 }'))).toEqual(['LITERAL_SECRET@8:43'])
  })
  test('an api key written inline with text around the reference', () => {
    expect(config(staging('{ userName: jane, apiKey: "k-${env:KEY}" }'))).toEqual(['LITERAL_SECRET@8:41'])
  })
  test('an updateable field the API does not have', () => {
    expect(
      config('targets:\n  staging:\n    apis:\n      logicmelon:\n        baseUrl: https://x.example\n        updateable: [firstName, shoeSize]\n'),
    ).toEqual(['UNKNOWN_FIELD@6:33'])
  })
  test('credentials from the environment are fine', () => {
    expect(config(staging('{ userName: "${env:IR_USER}", password: "${env:IR_PASSWORD}" }'))).toEqual([])
  })
  test('an unknown key in a target', () => {
    expect(config('targets:\n  reference:\n    reference: true\n    allowWrite: true\n')).toEqual(['UNKNOWN_KEY@4:5'])
  })
  test('a limit of the wrong type', () => {
    expect(config('targets:\n  reference:\n    reference: true\n    limits: { timeoutMs: soon }\n')).toEqual(['WRONG_TYPE@4:26'])
  })
  test('a target that names nothing to test', () => {
    expect(config('targets:\n  empty: {}\n')).toEqual(['NO_APIS@2:3'])
  })
})

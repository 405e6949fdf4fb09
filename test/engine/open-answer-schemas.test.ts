import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, test } from 'vitest'
import { AnswerSchemas } from '../../src/spec/answer-schemas.ts'
import { SCHEMAS_DIR } from '../../src/paths.ts'

/**
 * DESIGN, "Where the truth comes from": answer schemas require and type what the pages document and stay open to
 * what they do not mention; a vendor may add an attribute or a field at any time.
 */

/** Every answer schema: the JSON files in the per-API folders under schemas/ (the top-level ones describe our own files). */
function answerSchemas(): string[] {
  return readdirSync(SCHEMAS_DIR)
    .filter((d) => statSync(join(SCHEMAS_DIR, d)).isDirectory())
    .flatMap((d) =>
      readdirSync(join(SCHEMAS_DIR, d))
        .filter((f) => f.endsWith('.json'))
        .map((f) => join(SCHEMAS_DIR, d, f)),
    )
}

/** JSON paths of every subschema that refuses properties it does not list. */
function closedObjects(node: unknown, path = '$'): string[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => closedObjects(n, `${path}[${i}]`))
  if (!node || typeof node !== 'object') return []
  const o = node as Record<string, unknown>
  const here = o.additionalProperties === false || o.unevaluatedProperties === false ? [path] : []
  // `properties` maps names to subschemas: a property named "additionalProperties" is not the keyword
  return [
    ...here,
    ...Object.entries(o).flatMap(([k, v]) =>
      (k === 'properties' || k === 'definitions' || k === '$defs') && v && typeof v === 'object'
        ? Object.entries(v as Record<string, unknown>).flatMap(([name, s]) => closedObjects(s, `${path}.${k}.${name}`))
        : closedObjects(v, `${path}.${k}`),
    ),
  ]
}

describe('answer schemas stay open to what the pages do not mention', () => {
  const files = answerSchemas()
  test('there are answer schemas to look at', () => expect(files.length).toBeGreaterThanOrEqual(8))
  for (const file of files) {
    test(`${relative(SCHEMAS_DIR, file)} has no closed object`, () => {
      expect(closedObjects(JSON.parse(readFileSync(file, 'utf8')))).toEqual([])
    })
  }
  test('the walker finds a closed object where there is one (nested, in definitions, in anyOf)', () => {
    expect(
      closedObjects({
        properties: { data: { anyOf: [{ type: 'null' }, { $ref: '#/definitions/U' }] } },
        definitions: { U: { type: 'object', additionalProperties: false } },
      }),
    ).toEqual(['$.definitions.U'])
    expect(closedObjects({ properties: { additionalProperties: { type: 'string' } } })).toEqual([])
  })
})

describe('an extra attribute or field passes; a documented one still must be there and typed', () => {
  const schemas = new AnswerSchemas()
  const user = { UserID: '123', UserName: 'jdoe', FirstName: 'J', LastName: 'D', Email: 'j@x.io', MobileNumber: '', Enabled: 'TRUE' }
  test('infoRouter GetUser <User>, AuthenticateUser <root>, <response>', () => {
    expect(schemas.check('inforouter/get-user.schema.json', { success: 'true', error: '', User: { ...user, Department: 'Sales' }, Extra: 'x' })).toEqual([])
    expect(schemas.check('inforouter/root.schema.json', { success: 'true', ticket: '3f2a1b4c-5d6e-7f8a-9b0c-1d2e3f4a5b6c', lastLogin: '2024-01-01' })).toEqual(
      [],
    )
    expect(schemas.check('inforouter/response.schema.json', { success: 'true', error: '', requestId: '7' })).toEqual([])
    const { Email: _e, ...noEmail } = user
    expect(schemas.check('inforouter/get-user.schema.json', { success: 'true', error: '', User: { ...noEmail, Department: 'Sales' } })).toEqual([
      "$.User must have required property 'Email'",
    ])
  })
  test('ECGrid REST envelope and data', () => {
    const data = {
      userId: 5001,
      login: 'j',
      email: 'j@x.io',
      firstName: 'J',
      lastName: 'S',
      networkId: 10,
      mailboxId: 100,
      authLevel: 'MailboxAdmin',
      status: 'Active',
      created: '2024-01-15T09:30:00Z',
    }
    expect(schemas.check('ecgrid-rest/user-envelope.schema.json', { success: true, data: { ...data, phone: '555' }, requestId: 'r1' })).toEqual([])
    expect(schemas.check('ecgrid-rest/user-envelope.schema.json', { success: true, data: { ...data, userId: '5001', phone: '555' } })).toContain(
      '$.data.userId must be integer',
    )
  })
  test('ECGridOS UserIDInfo and LogicMelon CUser', () => {
    const info = {
      UserID: '5001',
      Login: 'j',
      Email: 'j@x.io',
      FirstName: 'J',
      LastName: 'S',
      NetworkID: '10',
      MailboxID: '100',
      AuthLevel: 'MailboxAdmin',
      Status: 'Active',
      Created: '2024-01-15T09:30:00',
    }
    expect(schemas.check('ecgridos/user-id-info.schema.json', { ...info, Modified: '2024-01-16T00:00:00', LockedOut: 'false' })).toEqual([])
    expect(schemas.check('ecgridos/user-id-info.schema.json', { ...info, UserID: '01', Created: '2024-01-15T09:30:00.1234567+01:00' })).toEqual([])
  })
})

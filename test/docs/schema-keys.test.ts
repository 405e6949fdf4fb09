import { readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { describe, expect, test } from 'vitest'
import { keySchemas, undescribedKeys } from '../../src/docs/schema-keys.ts'
import { SCHEMAS_DIR } from '../../src/paths.ts'

/**
 * Every key a user writes in a config, an api.yaml, a spec or the behaviour catalogue is described, with examples, in
 * its schema (docs/staging.md says so; editors show both). The answer schemas under schemas/<api>/ describe vendor
 * answers, which nobody writes, and are not walked.
 */

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
type Schema = { $id: string; title?: string; description?: string; [k: string]: unknown }

const files = readdirSync(SCHEMAS_DIR)
  .filter((f) => f.endsWith('.schema.json'))
  .sort()
const schemas = files.map((f) => ({ file: f, schema: JSON.parse(readFileSync(resolve(SCHEMAS_DIR, f), 'utf8')) as Schema }))

describe('the project schemas describe every key', () => {
  test('the schemas walked are those the project validates its own files against', () => {
    expect(files).toEqual(['api.schema.json', 'behaviours.schema.json', 'config.schema.json', 'spec.schema.json'])
  })

  for (const { file, schema } of schemas) {
    test(`${file}: a title and a description, and every key a description and examples`, () => {
      expect(schema.title, file).toBeTruthy()
      expect(schema.description, file).toBeTruthy()
      expect(keySchemas(schema).length).toBeGreaterThan(5)
      expect(undescribedKeys(schema).map((p) => `${file}#${p.pointer} lacks ${p.missing.join(' and ')}`)).toEqual([])
    })
  }

  test('every example is valid where it stands (against the key schema, its $refs resolved in its file)', () => {
    // The project's own options (src/spec/schema-check.ts): strict, so an unknown keyword would fail here too.
    const ajv = addFormats(new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }))
    for (const { schema } of schemas) ajv.addSchema(schema)
    const invalid: string[] = []
    let checked = 0
    for (const { file, schema } of schemas) {
      for (const { pointer, schema: key } of keySchemas(schema)) {
        const validate = ajv.getSchema(`${schema.$id}#${pointer}`)!
        for (const example of (key.examples as unknown[] | undefined) ?? []) {
          checked++
          if (!validate(example)) invalid.push(`${file}#${pointer}: ${JSON.stringify(example)}: ${ajv.errorsText(validate.errors)}`)
        }
      }
    }
    expect(invalid).toEqual([])
    expect(checked).toBeGreaterThan(200)
  })
})

describe('keySchemas / undescribedKeys', () => {
  const described = { description: 'd', examples: ['x'] }

  test('finds properties, pattern properties and map entries, in definitions, items and combinators', () => {
    const schema = {
      properties: {
        a: { type: 'string' },
        b: { ...described, type: 'object', additionalProperties: { type: 'string' } },
        'c/~d': { ...described, $ref: '#/definitions/e' },
      },
      patternProperties: { '^x-': { type: 'string' } },
      definitions: { e: { type: 'array', items: { properties: { f: described, g: { type: 'string', description: 'only' } } } } },
      oneOf: [{ properties: { h: { type: 'integer', examples: [1] } } }],
      else: { properties: { i: { description: ' ', examples: [] } } },
    }
    expect(keySchemas(schema).map((k) => k.pointer)).toEqual([
      '/properties/a',
      '/properties/b',
      '/properties/b/additionalProperties',
      '/properties/c~1~0d',
      '/patternProperties/^x-',
      '/definitions/e/items/properties/f',
      '/definitions/e/items/properties/g',
      '/else/properties/i',
      '/oneOf/0/properties/h',
    ])
    expect(undescribedKeys(schema)).toEqual([
      { pointer: '/properties/a', missing: ['description', 'examples'] },
      { pointer: '/properties/b/additionalProperties', missing: ['description', 'examples'] },
      { pointer: '/patternProperties/^x-', missing: ['description', 'examples'] },
      { pointer: '/definitions/e/items/properties/g', missing: ['examples'] },
      { pointer: '/else/properties/i', missing: ['description', 'examples'] },
      { pointer: '/oneOf/0/properties/h', missing: ['description'] },
    ])
  })

  test('allowed: a described $ref, a closed or boolean map, definitions themselves and array items need nothing', () => {
    const schema = {
      properties: { t: { ...described, $ref: '#/definitions/t' }, m: { ...described, type: 'object', additionalProperties: false } },
      definitions: { t: { type: 'object', properties: { u: described } } },
      items: { type: 'string' },
      dependencies: { t: ['m'] },
    }
    expect(undescribedKeys(schema)).toEqual([])
  })
})

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { SchemaRegistry } from '../../src/schema-registry.ts'

const scratch = mkdtempSync(join(tmpdir(), 'conform-schema-registry-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

// A fresh text each run, so the validator is compiled here rather than loaded from the disk cache of an earlier run.
const run = `${process.pid}-${Math.random()}`
function schemaFile(name: string, schema: object): string {
  const file = join(scratch, name)
  writeFileSync(file, JSON.stringify({ $comment: run, ...schema }))
  return file
}

describe('the schema registry (spec, api and config formats; answer schemas)', () => {
  test('standard formats are known: an e-mail format rejects what is not one', () => {
    const validate = new SchemaRegistry().validator(schemaFile('email.schema.json', { type: 'string', format: 'email' }))
    expect(validate('someone@example.com')).toBe(true)
    expect(validate('not an address')).toBe(false)
  })

  test('strict: a misspelt keyword is refused rather than ignored', () => {
    expect(() => new SchemaRegistry().validator(schemaFile('strict.schema.json', { type: 'object', requierd: ['a'] }))).toThrow(
      /strict mode: unknown keyword: "requierd"/,
    )
  })

  test('every error is reported (allErrors), with the schema that raised it (verbose)', () => {
    const validate = new SchemaRegistry().validator(
      schemaFile('all.schema.json', { type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } }, additionalProperties: false }),
    )
    expect(validate({ a: 1, b: 'x', c: true })).toBe(false)
    expect(validate.errors!.map((e) => e.keyword).sort()).toEqual(['additionalProperties', 'type', 'type'])
    expect(validate.errors!.find((e) => e.keyword === 'additionalProperties')!.parentSchema).toMatchObject({ properties: { a: {}, b: {} } })
  })

  test('compiled once per registry: the same validator, and the refs asked for once', () => {
    const registry = new SchemaRegistry()
    const file = schemaFile('once.schema.json', { type: 'integer' })
    let asked = 0
    const refsOf = () => {
      asked++
      return []
    }
    expect(registry.validator(file, refsOf)).toBe(registry.validator(file, refsOf))
    expect(asked).toBe(1)
  })

  test('a schema may $ref another by its $id; a broken ref text does not hide it; a failed compile can be retried', () => {
    const registry = new SchemaRegistry()
    const user = JSON.stringify({ $id: `https://conform.test/${run}/user.schema.json`, type: 'object', required: ['id'] })
    const file = schemaFile('list.schema.json', { $id: `https://conform.test/${run}/list.schema.json`, type: 'array', items: { $ref: 'user.schema.json' } })
    expect(() => registry.validator(file)).toThrow(/can't resolve reference/)
    const validate = registry.validator(file, () => ['{ not json', user])
    expect(validate([{ id: 1 }])).toBe(true)
    expect(validate([{}])).toBe(false)
  })

  test('a schema with an $id that failed to compile is not kept: the file mended is compiled afresh', () => {
    const registry = new SchemaRegistry()
    const $id = `https://conform.test/${run}/mended.schema.json`
    const file = schemaFile('mended.schema.json', { $id, type: 'string', maxLenght: 3 })
    expect(() => registry.validator(file)).toThrow(/unknown keyword: "maxLenght"/)
    schemaFile('mended.schema.json', { $id, type: 'string', maxLength: 3 })
    const validate = registry.validator(file)
    expect(validate('abc')).toBe(true)
    expect(validate('abcd')).toBe(false)
  })
})

/**
 * The places in a JSON Schema (draft-07) where the author of a document writes a key: each entry of `properties` and
 * `patternProperties`, and an `additionalProperties` schema (the entries of a map whose keys the author names). An
 * editor shows a key's `description` and offers its `examples`, so every such place needs both.
 */

type Schema = { [k: string]: unknown }

export interface KeySchema {
  /** JSON Pointer of the key's schema within the document (`/properties/targets/additionalProperties`). */
  pointer: string
  schema: Schema
}

export interface KeyProblem {
  pointer: string
  missing: Array<'description' | 'examples'>
}

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v)
const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1')

/** Keywords whose value is a schema, a list of schemas, or a map of schemas (draft-07). */
const ONE = ['additionalProperties', 'additionalItems', 'contains', 'propertyNames', 'not', 'if', 'then', 'else']
const LIST = ['allOf', 'anyOf', 'oneOf']
const MAP = ['properties', 'patternProperties', 'definitions', 'dependencies']

export function keySchemas(root: Schema): KeySchema[] {
  const found: KeySchema[] = []
  const visit = (s: Schema, at: string) => {
    for (const kw of MAP) {
      const map = s[kw]
      if (!isSchema(map)) continue
      for (const [name, sub] of Object.entries(map)) {
        if (!isSchema(sub)) continue
        const pointer = `${at}/${kw}/${escapePointer(name)}`
        if (kw === 'properties' || kw === 'patternProperties') found.push({ pointer, schema: sub })
        visit(sub, pointer)
      }
    }
    for (const kw of ONE) {
      const sub = s[kw]
      if (!isSchema(sub)) continue
      if (kw === 'additionalProperties') found.push({ pointer: `${at}/${kw}`, schema: sub })
      visit(sub, `${at}/${kw}`)
    }
    for (const kw of LIST) {
      const list = s[kw]
      if (Array.isArray(list)) list.forEach((sub, i) => isSchema(sub) && visit(sub, `${at}/${kw}/${i}`))
    }
    const items = s.items
    if (Array.isArray(items)) items.forEach((sub, i) => isSchema(sub) && visit(sub, `${at}/items/${i}`))
    else if (isSchema(items)) visit(items, `${at}/items`)
  }
  visit(root, '')
  return found
}

/** The keys of a schema without a non-empty `description` or a non-empty `examples` list. */
export function undescribedKeys(root: Schema): KeyProblem[] {
  const problems: KeyProblem[] = []
  for (const { pointer, schema } of keySchemas(root)) {
    const missing: KeyProblem['missing'] = []
    if (typeof schema.description !== 'string' || schema.description.trim() === '') missing.push('description')
    if (!Array.isArray(schema.examples) || schema.examples.length === 0) missing.push('examples')
    if (missing.length) problems.push({ pointer, missing })
  }
  return problems
}

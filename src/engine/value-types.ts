import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { SCHEMAS_DIR } from '../paths.ts'
import type { ApiDescription } from '../spec/model.ts'

/**
 * What an answer schema says a field's value is, so that values compare by meaning, not by spelling: an xs:boolean
 * `1` is `true`, an xs:int `01` is `1`, an instant in another offset is the same instant. Read once per schema.
 *
 * A JSON schema types a value with `"type": "boolean" | "integer" | "number"` or `"format": "date-time"`; an XML
 * value is text, so its schema refers to a definition named after its XSD type: `#/definitions/xs:boolean`,
 * `xs:int` (…`xs:long`, `xs:short`, `xs:decimal`, `xs:double`, `xs:float`), `xs:dateTime`.
 */
export type ValueType = 'boolean' | 'number' | 'instant'

/** A field path (dotted, as specs write it) → the type the schema gives it, or undefined (compare as text). */
export type FieldTypes = (path: string) => ValueType | undefined

type Schema = Record<string, unknown> | boolean

const XSD: Record<string, ValueType> = {
  'xs:boolean': 'boolean',
  'xs:int': 'number',
  'xs:long': 'number',
  'xs:short': 'number',
  'xs:integer': 'number',
  'xs:decimal': 'number',
  'xs:double': 'number',
  'xs:float': 'number',
  'xs:dateTime': 'instant',
}

const files = new Map<string, Schema>()
function schemaFile(file: string): Schema {
  let s = files.get(file)
  if (s === undefined) {
    s = JSON.parse(readFileSync(file, 'utf8')) as Schema
    files.set(file, s)
  }
  return s
}

interface At {
  schema: Schema
  file: string
}

/** Follows `$ref`s: `#/definitions/x` in the same file, or `other.schema.json[#…]` beside it. */
function deref(at: At, seen = 0): At & { refName?: string } {
  if (typeof at.schema !== 'object' || typeof at.schema.$ref !== 'string' || seen > 20) return at
  const [filePart = '', pointer = ''] = at.schema.$ref.split('#')
  const file = filePart ? resolve(dirname(at.file), filePart) : at.file
  let target: Schema = schemaFile(file)
  for (const seg of pointer.split('/').filter(Boolean)) {
    target = typeof target === 'object' ? ((target[decodeURIComponent(seg).replace(/~1/g, '/').replace(/~0/g, '~')] as Schema) ?? true) : true
  }
  const name = pointer.split('/').pop()
  const next = deref({ schema: target, file }, seen + 1)
  return { ...next, ...(name && XSD[name] ? { refName: name } : {}) }
}

function leafType(at: At): ValueType | undefined {
  const d = deref(at)
  if (d.refName) return XSD[d.refName]
  const s = d.schema
  if (typeof s !== 'object') return undefined
  const types = Array.isArray(s.type) ? s.type : [s.type]
  if (types.includes('boolean')) return 'boolean'
  if (types.includes('integer') || types.includes('number')) return 'number'
  if (s.format === 'date-time') return 'instant'
  return firstOf(branches(d), (b) => leafType(b))
}

/** Subschemas that may describe the same value: anyOf/oneOf/allOf, if/then/else. */
function branches(at: At): At[] {
  const s = at.schema
  if (typeof s !== 'object') return []
  const list = [
    ...((s.allOf as Schema[]) ?? []),
    ...((s.anyOf as Schema[]) ?? []),
    ...((s.oneOf as Schema[]) ?? []),
    ...['then', 'else'].map((k) => s[k] as Schema | undefined).filter((x): x is Schema => x !== undefined),
  ]
  return list.map((schema) => ({ schema, file: at.file }))
}

function firstOf<T, R>(list: T[], f: (x: T) => R | undefined): R | undefined {
  for (const x of list) {
    const r = f(x)
    if (r !== undefined) return r
  }
  return undefined
}

function typeIn(at: At, path: string[], depth = 0): ValueType | undefined {
  if (depth > 40) return undefined
  if (path.length === 0) return leafType(at)
  const d = deref(at)
  const s = d.schema
  if (typeof s !== 'object') return undefined
  const [head = '', ...rest] = path
  const props = s.properties as Record<string, Schema> | undefined
  const own = props && Object.hasOwn(props, head) ? typeIn({ schema: props[head]!, file: d.file }, rest, depth + 1) : undefined
  if (own !== undefined) return own
  // A list of elements (a repeated child) is walked through its items; an index in the path picks one.
  if (s.items && typeof s.items === 'object' && !Array.isArray(s.items)) {
    const items = { schema: s.items as Schema, file: d.file }
    const r = /^\d+$/.test(head) ? typeIn(items, rest, depth + 1) : typeIn(items, path, depth + 1)
    if (r !== undefined) return r
  }
  return firstOf(branches(d), (b) => typeIn(b, path, depth + 1))
}

const cache = new Map<string, ValueType | null>()

/** The type an answer schema (`schemas/<api>/x.schema.json`) gives the value at a dotted path, if any. */
export function typeAt(schemaName: string, path: string): ValueType | undefined {
  const key = `${schemaName}\0${path}`
  let t = cache.get(key)
  if (t === undefined) {
    const file = resolve(SCHEMAS_DIR, schemaName)
    try {
      t = typeIn({ schema: schemaFile(file), file }, path === '' ? [] : path.split('.')) ?? null
    } catch {
      t = null
    }
    cache.set(key, t)
  }
  return t ?? undefined
}

export function fieldTypes(schemaName: string | undefined): FieldTypes {
  return (path) => (schemaName ? typeAt(schemaName, path) : undefined)
}

const ZONED = /(Z|[+-]\d{2}:?\d{2})$/i
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/

/** The value a text (or JSON scalar) stands for under a type; undefined when it is not of that type. */
export function typedValue(type: ValueType, v: unknown): boolean | number | undefined {
  if (type === 'boolean') {
    if (typeof v === 'boolean') return v
    const t = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : undefined
    return t === 'true' || t === '1' ? true : t === 'false' || t === '0' ? false : undefined
  }
  if (type === 'number') {
    if (typeof v === 'number') return Number.isFinite(v) ? v : undefined
    const t = typeof v === 'string' ? v.trim() : undefined
    return t !== undefined && NUMBER.test(t) ? Number(t) : undefined
  }
  return instantOf(v)
}

/** An xs:dateTime or ISO 8601 instant in ms; a value without a zone is taken as UTC (ASMX writes UTC unzoned). */
export function instantOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined
  const t = value.trim()
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(t)) return undefined
  const ms = Date.parse(ZONED.test(t) ? t : `${t}Z`)
  return Number.isNaN(ms) ? undefined : ms
}

/**
 * Same value under a type: both sides read as that type and equal; when either side is not of the type (a broken
 * answer, a placeholder), they are compared as text, so a wrong spelling still shows as a mismatch.
 */
export function sameValue(type: ValueType | undefined, a: unknown, b: unknown): boolean {
  if (type) {
    const [x, y] = [typedValue(type, a), typedValue(type, b)]
    if (x !== undefined && y !== undefined) return x === y
  }
  return a === b || (isScalar(a) && isScalar(b) && String(a) === String(b))
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
}

/** Types of an operation's answer fields, from its answer schema (api.yaml `answer.schema`). */
export function answerTypes(api: ApiDescription, operation: string): FieldTypes {
  return fieldTypes(api.operations[operation]?.answer.schema)
}

/** Types of the logical user fields (api.yaml `user.fields`), from the read-back call's answer schema. */
export function userFieldTypes(api: ApiDescription): FieldTypes {
  const schema = api.operations[api.readBack.call.operation]?.answer.schema
  return (field) => {
    const path = api.user.fields[field]
    return schema && path ? typeAt(schema, path) : undefined
  }
}

/**
 * A read-back state with its typed fields in their plain lexical form (`05001` → `5001`, `1` → `true`), for
 * sending on: a value one API spells `05001` is sent to another (or the same) as the number it is. Instants and
 * untyped fields stay as they came.
 */
export function canonicalState(state: Record<string, unknown>, types: FieldTypes): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(state).map(([field, v]) => {
      const type = types(field)
      if (type !== 'boolean' && type !== 'number') return [field, v]
      const value = typedValue(type, v)
      return [field, value === undefined || typeof v !== 'string' ? v : String(value)]
    }),
  )
}

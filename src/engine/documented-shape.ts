/**
 * Pure. The documented shape of one SOAP operation, from data alone: its request element's members are api.yaml's
 * params (a dotted path is a member inside a member), its answer is the operation's answer schema (schemas/<api>/…).
 * Types come from the answer schemas: an XML answer schema names an XSD type once (`#/definitions/xs:int`), an enum
 * lists its values; a parameter is typed like the answer field of the same name (the pages type each field once:
 * UserID is an int wherever it stands), unless api.yaml's `types:` says otherwise. What no document types is checked
 * for presence only.
 */
import type { OperationDescription } from '../spec/model.ts'

/** An XSD simple type by local name (`int`, `boolean`, `dateTime`, `string`), an enumeration, a sequence, or a member of any type. */
export type Shape =
  | { readonly kind: 'simple'; readonly xsd: string }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'complex'; readonly members: ReadonlyArray<readonly [string, Shape]> }
  | { readonly kind: 'any' }

export interface OperationShape {
  readonly request: Shape & { kind: 'complex' }
  /** The `<Op>Result` member: `any` when the answer is an untyped XML node (api.yaml `answer.element`). */
  readonly result: Shape
}

type Json = Record<string, unknown> | boolean

/** Reads a schema file by its path under schemas/ (`logicmelon/cuser.schema.json`). */
export type SchemaLoader = (name: string) => Json

interface At {
  readonly schema: Json
  readonly file: string
}

const XSD_DEFINITION = /^xs:(\w+)$/
const ANY: Shape = { kind: 'any' }

function sibling(file: string, name: string): string {
  const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : ''
  return `${dir}${name}`
}

/** Follows `$ref`s (`#/definitions/x`, `other.schema.json`); an XSD-named definition ends the walk as that type. */
function deref(at: At, load: SchemaLoader, depth = 0): At | Shape {
  const s = at.schema
  if (typeof s !== 'object' || typeof s.$ref !== 'string' || depth > 20) return at
  const [filePart = '', pointer = ''] = s.$ref.split('#')
  const name = pointer.split('/').pop() ?? ''
  const xsd = XSD_DEFINITION.exec(name)?.[1]
  if (xsd) return { kind: 'simple', xsd }
  const file = filePart ? sibling(at.file, filePart) : at.file
  let target: Json = load(file)
  for (const seg of pointer.split('/').filter(Boolean)) target = typeof target === 'object' ? ((target[seg] as Json | undefined) ?? true) : true
  return deref({ schema: target, file }, load, depth + 1)
}

const isShape = (x: At | Shape): x is Shape => 'kind' in x

const BOOLEAN_LEXICAL = ['true', 'false', '1', '0']

/** The shape a schema gives an element's content; undefined when it says nothing an XSD type could (a `const ""`, null). */
export function shapeOf(at: At, load: SchemaLoader, depth = 0): Shape | undefined {
  if (depth > 30) return undefined
  const d = deref(at, load)
  if (isShape(d)) return d
  const s = d.schema
  if (typeof s !== 'object') return undefined
  if (Array.isArray(s.enum)) {
    const values = s.enum.filter((v): v is string => typeof v === 'string')
    return values.length > 0 && values.every((v) => BOOLEAN_LEXICAL.includes(v)) ? { kind: 'simple', xsd: 'boolean' } : { kind: 'enum', values }
  }
  const props = s.properties as Record<string, Json> | undefined
  if (props && (s.type === 'object' || Array.isArray(s.required))) {
    const required = Array.isArray(s.required) ? (s.required as string[]) : Object.keys(props)
    const members = required.flatMap((name): Array<[string, Shape]> => {
      const p = props[name]
      return p === undefined ? [] : [[name, shapeOf({ schema: p, file: d.file }, load, depth + 1) ?? ANY]]
    })
    return { kind: 'complex', members }
  }
  // A repeated element is an array of its items: the element is one item.
  if (s.type === 'array' && typeof s.items === 'object' && !Array.isArray(s.items)) return shapeOf({ schema: s.items as Json, file: d.file }, load, depth + 1)
  const types = Array.isArray(s.type) ? s.type : [s.type]
  // A string with a pattern is some lexical space the schema does not name (a GUID, a boolean's): presence only.
  if (types.includes('string')) return s.pattern === undefined ? { kind: 'simple', xsd: 'string' } : ANY
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    for (const branch of (s[key] as Json[] | undefined) ?? []) {
      const shape = shapeOf({ schema: branch, file: d.file }, load, depth + 1)
      if (shape !== undefined && shape.kind !== 'any') return shape
    }
  }
  return undefined
}

/** Every simple type the API's answer schemas give a field name, by name: the type of a parameter of that name. */
export function fieldTypesByName(shapes: readonly Shape[]): Map<string, Shape> {
  const found = new Map<string, Shape | null>()
  const visit = (shape: Shape, depth: number) => {
    if (shape.kind !== 'complex' || depth > 10) return
    for (const [name, member] of shape.members) {
      if (member.kind === 'complex') visit(member, depth + 1)
      else if (member.kind === 'simple') {
        const known = found.get(name)
        // Two answers that type one name differently type no parameter.
        found.set(name, known === undefined || (known && known.kind === 'simple' && known.xsd === member.xsd) ? member : null)
      }
    }
  }
  for (const s of shapes) visit(s, 0)
  return new Map([...found].filter((e): e is [string, Shape] => e[1] !== null))
}

const API_TYPES: Record<string, Shape> = { integer: { kind: 'simple', xsd: 'int' }, string: { kind: 'simple', xsd: 'string' } }

/** The request element's members, nested by the params' dotted paths, typed by `types:` or by name. */
export function requestShape(op: OperationDescription, byName: ReadonlyMap<string, Shape>): Shape & { kind: 'complex' } {
  interface Node {
    readonly children: Map<string, Node>
    leaf?: string
  }
  const root: Node = { children: new Map() }
  for (const path of op.params) {
    let node = root
    for (const part of path.split('.')) {
      let next = node.children.get(part)
      if (!next) node.children.set(part, (next = { children: new Map() }))
      node = next
    }
    node.leaf = path
  }
  const toShape = (node: Node, name: string): Shape => {
    if (node.children.size > 0) return { kind: 'complex', members: [...node.children].map(([n, child]) => [n, toShape(child, n)] as const) }
    const declared = node.leaf ? op.types[node.leaf] : undefined
    return (declared ? API_TYPES[declared] : undefined) ?? byName.get(name) ?? ANY
  }
  return { kind: 'complex', members: [...root.children].map(([n, child]) => [n, toShape(child, n)] as const) }
}

/** The documented shape of `op`; `answers`: every answer schema of the API (they type the parameters by name). */
export function operationShape(op: OperationDescription, answers: readonly string[], load: SchemaLoader): OperationShape {
  const shapes = answers.flatMap((name) => {
    const shape = shapeOf({ schema: load(name), file: name }, load)
    return shape ? [shape] : []
  })
  const result = op.answer.element !== undefined ? ANY : (shapeOf({ schema: load(op.answer.schema), file: op.answer.schema }, load) ?? ANY)
  return { request: requestShape(op, fieldTypesByName(shapes)), result }
}

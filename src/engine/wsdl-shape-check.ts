/**
 * The WSDL shape check at its edge: reads the API's answer schemas (once each) and judges a WSDL text against the
 * documented shape of one operation (documented-shape.ts, wsdl-shape.ts). A WSDL that does not parse is a problem too.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { wsdlFacts } from '../compare/wsdl.ts'
import { SCHEMAS_DIR } from '../paths.ts'
import type { ApiDescription } from '../spec/model.ts'
import { operationShape, type OperationShape, type SchemaLoader } from './documented-shape.ts'
import { WSDL_SHAPE, wsdlShapeProblems } from './wsdl-shape.ts'

const schemas = new Map<string, ReturnType<SchemaLoader>>()
const loadSchema: SchemaLoader = (name) => {
  let s = schemas.get(name)
  if (s === undefined) {
    s = JSON.parse(readFileSync(resolve(SCHEMAS_DIR, name), 'utf8')) as ReturnType<SchemaLoader>
    schemas.set(name, s)
  }
  return s
}

const shapes = new WeakMap<ApiDescription, Map<string, OperationShape>>()

/** The documented shape of one operation of `api`, typed by every answer schema the API names. */
export function documentedShapeOf(api: ApiDescription, operation: string): OperationShape | undefined {
  let byOp = shapes.get(api)
  if (!byOp) shapes.set(api, (byOp = new Map()))
  const known = byOp.get(operation)
  if (known) return known
  const op = api.operations[operation]
  if (!op) return undefined
  const answers = [...new Set(Object.values(api.operations).map((o) => o.answer.schema))]
  const shape = operationShape(op, answers, loadSchema)
  byOp.set(operation, shape)
  return shape
}

/** Problems of the WSDL text's description of `operation` (each begins with WSDL_SHAPE); empty when it is as documented. */
export function wsdlShapeOf(wsdlText: string, api: ApiDescription, operation: string): string[] {
  const shape = documentedShapeOf(api, operation)
  if (!shape) return []
  let facts: ReturnType<typeof wsdlFacts>
  try {
    facts = wsdlFacts(wsdlText)
  } catch (e) {
    return [`${WSDL_SHAPE} the WSDL is not XML a client can read: ${(e as Error).message}`]
  }
  return wsdlShapeProblems(facts, api.namespace, operation, shape)
}

import { compileTemplates } from '../expr.ts'
import type { Call, ParamInput } from './model.ts'

/** Reads a `{ Operation: { params } }` map (already schema-checked) into a Call. */
export function readCall(raw: unknown, at: ReadonlyArray<string | number>): Call {
  const [operation, params] = Object.entries(raw as Record<string, Record<string, ParamInput> | null>)[0] ?? ['', {}]
  return { operation, params: params ?? {}, at: [...at, operation] }
}

/** A checked call with every `${…}` of its params parsed (the engine evaluates, never parses). */
export const compileCall = (call: Call): Call => ({ ...call, params: compileTemplates(call.params) })

import { httpGet, httpPost } from './http-form.ts'
import { restJson } from './rest-json.ts'
import { soap11, soap12 } from './soap.ts'
import type { Binding, BindingName } from './types.ts'

const BINDINGS: Partial<Record<BindingName, Binding>> = {
  'http-get': httpGet,
  'http-post': httpPost,
  soap11,
  soap12,
  'rest-json': restJson,
}

export function bindingFor(name: BindingName): Binding {
  const b = BINDINGS[name]
  if (!b) throw new Error(`binding ${name} is not implemented yet`)
  return b
}

export function isImplemented(name: BindingName): boolean {
  return BINDINGS[name] !== undefined
}

/**
 * A service as a faulty WSDL would describe it: one member of a complex type, one parameter or one enumeration value
 * gone or retyped. Deviations hand these to the WSDL writer (layer `wsdl`); the service itself is unchanged.
 */
import type { SchemaType, ServiceSpec, XsdType } from './types.ts'

const mapTypes = (service: ServiceSpec, f: (t: SchemaType) => SchemaType): ServiceSpec => ({ ...service, types: (service.types ?? []).map(f) })

/** The complex type `typeName` without `field` (`type` undefined), or with `field` of another type. */
export function withTypeField(service: ServiceSpec, typeName: string, field: string, type?: XsdType): ServiceSpec {
  return mapTypes(service, (t) => {
    if (t.kind !== 'complex' || t.name !== typeName) return t
    const fields = type === undefined ? t.fields.filter(([n]) => n !== field) : t.fields.map(([n, ft]) => [n, n === field ? type : ft] as const)
    return { ...t, fields }
  })
}

/** The enumeration `typeName` without `value`. */
export function withoutEnumValue(service: ServiceSpec, typeName: string, value: string): ServiceSpec {
  return mapTypes(service, (t) => (t.kind === 'enum' && t.name === typeName ? { ...t, values: t.values.filter((v) => v !== value) } : t))
}

/** The operation's parameter `param` of another type. */
export function withParamType(service: ServiceSpec, operation: string, param: string, type: XsdType): ServiceSpec {
  return {
    ...service,
    operations: service.operations.map((op) => (op.name === operation ? { ...op, paramTypes: { ...op.paramTypes, [param]: type } } : op)),
  }
}

/** The operation without its parameter `param` (the service still reads it). */
export function withoutParam(service: ServiceSpec, operation: string, param: string): ServiceSpec {
  return {
    ...service,
    operations: service.operations.map((op) => (op.name === operation ? { ...op, params: op.params.filter((p) => p !== param) } : op)),
  }
}

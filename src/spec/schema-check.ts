import { resolve } from 'node:path'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { SCHEMAS_DIR } from '../paths.ts'
import { SpecErrors, type ConformError } from '../errors.ts'
import { SourceFile, type Path } from '../yaml/source.ts'
import { SchemaRegistry } from '../schema-registry.ts'

/** The project's own formats (spec, api, config, behaviours), compiled once per process (and cached on disk). */
const registry = new SchemaRegistry()

export function projectSchema(name: string): ValidateFunction {
  return registry.validator(resolve(SCHEMAS_DIR, name))
}

/** Validates a YAML file's data; every error names file:line:column and what was expected. */
export function checkAgainstSchema(source: SourceFile, schemaName: string): ConformError[] {
  const validate = projectSchema(schemaName)
  if (validate(source.data)) return []
  return pickErrors(validate.errors ?? []).map((e) => toConformError(source, e))
}

function toPath(pointer: string): Path {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
}

/** anyOf/oneOf produce one error per branch; keep the most specific error per location. */
function pickErrors(errors: ErrorObject[]): ErrorObject[] {
  const byPath = new Map<string, ErrorObject[]>()
  // A bad property name comes twice: as the name's own error (with propertyName) and as "property name must be valid".
  for (const e of errors.filter((x) => x.keyword !== 'propertyNames')) byPath.set(e.instancePath, [...(byPath.get(e.instancePath) ?? []), e])
  const paths = [...byPath.keys()]
  const out: ErrorObject[] = []
  for (const [path, errs] of byPath) {
    const deeper = paths.some((p) => p !== path && p.startsWith(`${path}/`))
    const specific = errs.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf')
    if (
      deeper &&
      specific.every((e) => e.keyword === 'type' || e.keyword === 'required' || e.keyword === 'additionalProperties') &&
      errs.some((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    )
      continue
    const chosen = specific.length ? specific : errs
    const types = chosen.filter((e) => e.keyword === 'type').map((e) => String(e.params.type))
    if (types.length > 1) {
      out.push({ ...chosen.find((e) => e.keyword === 'type')!, message: `must be ${[...new Set(types)].join(' or ')}` })
      out.push(...chosen.filter((e) => e.keyword !== 'type'))
    } else out.push(...chosen)
  }
  const seen = new Set<string>()
  return out.filter((e) => {
    const k = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

function toConformError(source: SourceFile, e: ErrorObject): ConformError {
  const path = toPath(e.instancePath)
  const at = e.instancePath || '(top level)'
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty)
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {})
      const hint = allowed.length ? ` (expected one of: ${allowed.join(', ')})` : ''
      return source.error('UNKNOWN_KEY', `unknown key "${key}" in ${at}${hint}`, [...path, key], { key: true })
    }
    case 'required':
      return source.error('MISSING_KEY', `${at} is missing the required key "${String(e.params.missingProperty)}"`, path)
    case 'enum':
      return source.error('BAD_VALUE', `${at} must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`, path)
    case 'maxProperties':
    case 'minProperties': {
      const call = /^\/(when|before|then)\b/.test(e.instancePath) && (e.params.limit as number) === 1
      return source.error('BAD_VALUE', `${at} ${e.message ?? ''}${call ? ' (expected exactly one operation or outcome)' : ''}`, path)
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      // A number out of range: what the setting is for says why the bound is where it is.
      const about = (e.parentSchema as { description?: string } | undefined)?.description
      return source.error('BAD_VALUE', `${at} ${e.message ?? 'is out of range'}${about ? ` (${about})` : ''}`, path)
    }
    default:
      if (e.propertyName !== undefined) {
        return source.error('BAD_VALUE', `${at}: the name "${e.propertyName}" ${e.message ?? 'is not valid'}`, [...path, e.propertyName], { key: true })
      }
      return source.error(e.keyword === 'type' ? 'WRONG_TYPE' : 'BAD_VALUE', `${at} ${e.message ?? 'is not valid'}`, path)
  }
}

/** Reads a YAML file and validates it against a project schema; any problem becomes SpecErrors with positions. */
export function readValidated(file: string, root: string, schemaName: string, opts: { cache?: boolean } = {}): SourceFile {
  let source: SourceFile
  try {
    source = SourceFile.read(file, root, opts)
  } catch (e) {
    throw e instanceof SpecErrors ? e : new SpecErrors([e as ConformError])
  }
  const errors = checkAgainstSchema(source, schemaName)
  if (errors.length) throw new SpecErrors(errors)
  return source
}

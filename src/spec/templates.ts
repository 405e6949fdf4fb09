import { ExpressionError, hasTemplate, parseTemplate, refsOf } from '../expr.ts'
import { FAKE_GENERATORS, isFakeName } from '../fake.ts'
import type { ConformError } from '../errors.ts'
import type { Path, SourceFile } from '../yaml/source.ts'

/** Says why a reference is not allowed here, or undefined when it is. */
export type RefRule = (path: string[]) => string | undefined

export function fakeRule(path: string[]): string | undefined {
  if (path[0] !== 'fake') return undefined
  if (path.length !== 2 || !isFakeName(path[1] ?? '')) {
    return `unknown fake generator "${path.slice(1).join('.')}" (expected one of: ${Object.keys(FAKE_GENERATORS)
      .map((n) => `fake.${n}`)
      .join(', ')})`
  }
  return undefined
}

/** Parses every `${…}` in a value tree and checks each reference; errors point at the scalar. */
export function checkTemplates(source: SourceFile, at: Path, value: unknown, rule: RefRule): ConformError[] {
  if (typeof value === 'string') {
    if (!hasTemplate(value)) return []
    try {
      const t = parseTemplate(value)
      const errors: ConformError[] = []
      for (const ref of refsOf(t)) {
        const why = ref.path[0] === 'env:' ? 'environment variables are only read in conform.config.yaml' : rule(ref.path)
        if (why) errors.push(source.error('BAD_REFERENCE', `${ref.source}: ${why}`, at))
      }
      return errors
    } catch (e) {
      if (e instanceof ExpressionError) return [source.error('BAD_EXPRESSION', `${e.message} in "${value}"`, at)]
      throw e
    }
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => checkTemplates(source, [...at, i], v, rule))
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => checkTemplates(source, [...at, k], v, rule))
  }
  return []
}

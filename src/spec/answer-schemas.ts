import { readdirSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { ValidateFunction } from 'ajv'
import { SCHEMAS_DIR } from '../paths.ts'
import { SchemaRegistry } from '../schema-registry.ts'

/** Response schemas (schemas/<api>/*.schema.json) applied to parsed answers, compiled once each (and cached on disk). */
export class AnswerSchemas {
  private readonly registry = new SchemaRegistry()

  private compile(schemaName: string): ValidateFunction {
    const file = resolve(SCHEMAS_DIR, schemaName)
    return this.registry.validator(file, () => this.siblings(dirname(file), file))
  }

  /** The other schemas of the folder, as text: one answer schema may `$ref` another (a list of CUser refers to CUser). */
  private siblings(dir: string, except: string): string[] {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.schema.json'))
      .sort()
      .map((name) => resolve(dir, name))
      .filter((f) => f !== except)
      .flatMap((f) => {
        try {
          return [readFileSync(f, 'utf8')]
        } catch {
          return []
        }
      })
  }

  /** Why a schema file cannot be used (unreadable, not JSON, not a valid strict schema), or undefined. */
  problem(schemaName: string): string | undefined {
    try {
      this.compile(schemaName)
      return undefined
    } catch (e) {
      return (e as Error).message
    }
  }

  check(schemaName: string, value: unknown): string[] {
    const validate = this.compile(schemaName)
    if (validate(value)) return []
    return (validate.errors ?? []).map((e) => {
      const where = e.instancePath ? `$.${e.instancePath.slice(1).replace(/\//g, '.')}` : '$ (the answer)'
      const extra =
        e.keyword === 'additionalProperties'
          ? ` "${String(e.params.additionalProperty)}"`
          : e.keyword === 'enum'
            ? ` (${(e.params.allowedValues as unknown[]).join(', ')})`
            : ''
      return `${where} ${e.message ?? 'is invalid'}${extra}`
    })
  }
}

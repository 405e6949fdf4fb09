import { readdirSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { SCHEMAS_DIR } from '../paths.ts'
import { cachedValidator } from '../validator-cache.ts'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

const OPTIONS = { allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }

/** Response schemas (schemas/<api>/*.schema.json) applied to parsed answers, compiled once each (and cached on disk). */
export class AnswerSchemas {
  private readonly ajv = addFormats(new Ajv({ ...OPTIONS, code: { source: true } }))
  private readonly compiled = new Map<string, ValidateFunction>()

  /** Returns human-readable violations, empty when the value conforms. */
  private compile(schemaName: string): ValidateFunction {
    let validate = this.compiled.get(schemaName)
    if (!validate) {
      const file = resolve(SCHEMAS_DIR, schemaName)
      const siblings = this.siblings(dirname(file), file)
      const text = readFileSync(file, 'utf8')
      const schema = JSON.parse(text) as { $id?: string }
      validate = cachedValidator(this.ajv, [JSON.stringify(OPTIONS), text, ...siblings].join('\0'), () => {
        this.addSiblings(siblings)
        try {
          return (schema.$id ? this.ajv.getSchema(schema.$id) : undefined) ?? this.ajv.compile(schema)
        } catch (e) {
          if (schema.$id) this.ajv.removeSchema(schema.$id)
          throw e
        }
      })
      this.compiled.set(schemaName, validate)
    }
    return validate
  }

  /** The other schemas of the folder, as text: one answer schema may `$ref` another (a list of CUser refers to CUser). */
  private siblings(dir: string, except: string): string[] {
    return readdirSync(dir).filter((f) => f.endsWith('.schema.json')).sort().map((name) => resolve(dir, name)).filter((f) => f !== except).flatMap((f) => {
      try {
        return [readFileSync(f, 'utf8')]
      } catch {
        return []
      }
    })
  }

  private addSiblings(texts: string[]): void {
    for (const text of texts) {
      try {
        const schema = JSON.parse(text) as { $id?: string }
        if (schema.$id && !this.ajv.schemas[schema.$id]) this.ajv.addSchema(schema)
      } catch {
        // A broken sibling is reported when it is itself used (problem()); it must not hide this one.
      }
    }
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
      const extra = e.keyword === 'additionalProperties' ? ` "${String(e.params.additionalProperty)}"` : e.keyword === 'enum' ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''
      return `${where} ${e.message ?? 'is invalid'}${extra}`
    })
  }
}

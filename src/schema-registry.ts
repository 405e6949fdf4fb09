/**
 * The one ajv set-up of the project, for its own formats (spec, api, config, behaviours) and for the answer schemas
 * (schemas/<api>/*.schema.json): strict JSON Schema with the standard formats. A registry compiles each schema file
 * once, and its generated code is kept on disk for later processes (src/validator-cache.ts).
 */
import { readFileSync } from 'node:fs'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { cachedValidator } from './validator-cache.ts'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

/** `verbose`: errors carry their schema (src/spec/schema-check.ts names the keys a schema allows). */
const OPTIONS = { allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true }

export class SchemaRegistry {
  private readonly ajv = addFormats(new Ajv({ ...OPTIONS, code: { source: true } }))
  private readonly compiled = new Map<string, ValidateFunction>()

  /**
   * The validator of a schema file, compiled on first use. `refsOf`: the texts of the schemas it may `$ref` (by their
   * `$id`), asked for on first use only; a ref that is not JSON or not a schema is left out here, and reported where
   * it is itself used. Throws when the file cannot be read, is not JSON or is not a valid strict schema.
   */
  validator(file: string, refsOf: () => readonly string[] = () => []): ValidateFunction {
    let validate = this.compiled.get(file)
    if (!validate) {
      const refs = refsOf()
      const text = readFileSync(file, 'utf8')
      const schema = JSON.parse(text) as { $id?: string }
      validate = cachedValidator(this.ajv, [JSON.stringify(OPTIONS), text, ...refs].join('\0'), () => {
        this.addRefs(refs)
        try {
          return (schema.$id ? this.ajv.getSchema(schema.$id) : undefined) ?? this.ajv.compile(schema)
        } catch (e) {
          if (schema.$id) this.ajv.removeSchema(schema.$id)
          throw e
        }
      })
      this.compiled.set(file, validate)
    }
    return validate
  }

  private addRefs(texts: readonly string[]): void {
    for (const text of texts) {
      try {
        const schema = JSON.parse(text) as { $id?: string }
        if (schema.$id && !this.ajv.schemas[schema.$id]) this.ajv.addSchema(schema)
      } catch {
        // A broken ref must not hide the schema that names it.
      }
    }
  }
}

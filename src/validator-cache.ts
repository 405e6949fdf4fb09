/**
 * ajv validators whose generated code is kept on disk (ajv's "standalone" output) and loaded by later processes
 * instead of being generated again: compiling the project's schemas is a noticeable part of every command's start, and
 * loading the generated code is not (bench/README.md has the figures). The cache key covers the
 * schema, the schemas it may refer to, the ajv options and the versions of ajv and ajv-formats, so a change to any
 * of them compiles afresh. When the cache cannot be read or written, validators are simply compiled.
 */
import { createRequire } from 'node:module'
import type { Ajv, ValidateFunction } from 'ajv'
import standaloneModule from 'ajv/dist/standalone/index.js'
import { DiskCache, packageVersion } from './cache/disk-cache.ts'

const standaloneCode = standaloneModule as unknown as (ajv: Ajv, validate: ValidateFunction) => string
const require = createRequire(import.meta.url)

const cache = new DiskCache('conform-validators', '.cjs')
export const VALIDATOR_CACHE_DIR = cache.dir

const versions = `ajv@${packageVersion('ajv')} ajv-formats@${packageVersion('ajv-formats')}`

/**
 * Returns `compile()`'s validator, from the cache when an identical one was compiled before. `ajv` must have been
 * created with `code: { source: true }` (standalone output needs the source); `key` names everything besides the
 * versions that shapes the generated code: the ajv options, the schema, and any schema it may `$ref`.
 */
export function cachedValidator(ajv: Ajv, key: string, compile: () => ValidateFunction): ValidateFunction {
  const file = cache.entryOf([versions, key])
  try {
    return require(file) as ValidateFunction
  } catch {
    // not cached yet (or unreadable): compile below
  }
  const validate = compile()
  cache.write(file, standaloneCode(ajv, validate))
  return validate
}

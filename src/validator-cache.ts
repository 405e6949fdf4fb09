/**
 * ajv validators whose generated code is kept on disk (ajv's "standalone" output) and loaded by later processes
 * instead of being generated again. Compiling the spec and API schemas costs ~200 ms in every process that loads the
 * project (the CLI and the vitest worker, each run); loading the cached code costs ~2 ms. The cache key covers the
 * schema, the schemas it may refer to, the ajv options and the versions of ajv and ajv-formats, so a change to any
 * of them compiles afresh. When the cache cannot be read or written, validators are simply compiled.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import type { Ajv, ValidateFunction } from 'ajv'
import standaloneModule from 'ajv/dist/standalone/index.js'
import { PROJECT_ROOT } from './paths.ts'

const standaloneCode = standaloneModule as unknown as (ajv: Ajv, validate: ValidateFunction) => string
const require = createRequire(import.meta.url)

export const VALIDATOR_CACHE_DIR = resolve(PROJECT_ROOT, 'node_modules', '.cache', 'conform-validators')

const versions = (() => {
  const of = (pkg: string) => {
    try {
      return (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version
    } catch {
      return '?'
    }
  }
  return `ajv@${of('ajv')} ajv-formats@${of('ajv-formats')}`
})()

/**
 * Returns `compile()`'s validator, from the cache when an identical one was compiled before. `ajv` must have been
 * created with `code: { source: true }` (standalone output needs the source); `key` names everything besides the
 * versions that shapes the generated code: the ajv options, the schema, and any schema it may `$ref`.
 */
export function cachedValidator(ajv: Ajv, key: string, compile: () => ValidateFunction): ValidateFunction {
  const hash = createHash('sha256').update(versions).update('\0').update(key).digest('hex').slice(0, 32)
  const file = resolve(VALIDATOR_CACHE_DIR, `${hash}.cjs`)
  try {
    return require(file) as ValidateFunction
  } catch {
    // not cached yet (or unreadable): compile below
  }
  const validate = compile()
  try {
    mkdirSync(VALIDATOR_CACHE_DIR, { recursive: true })
    const temp = `${file}.${process.pid}.tmp`
    writeFileSync(temp, standaloneCode(ajv, validate))
    renameSync(temp, file)
  } catch {
    // a read-only install: every process compiles
  }
  return validate
}

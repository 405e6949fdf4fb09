import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { ConformError } from '../errors.ts'

/**
 * `--env-file FILE`: NAME=value lines (as `conform serve --write-config` writes them) read into the environment
 * through Node's own reader; a variable already set in the environment keeps its value.
 */
export function loadEnvFile(file: string): void {
  const path = resolve(file)
  if (!existsSync(path)) throw new ConformError('ENV_FILE_NOT_FOUND', 'spec', `--env-file ${path} does not exist`)
  process.loadEnvFile(path)
}

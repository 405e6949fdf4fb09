/**
 * Parsed YAML kept on disk (node_modules/.cache/conform-yaml), keyed by the text itself: a file parsed before comes
 * back as its data and the positions of its values, without parsing. What a parse gives depends only on the text,
 * the yaml version and the parse options (fixed in source.ts; FORMAT changes with them), so an entry is never stale.
 * Only clean parses are kept: a file with a mistake is parsed every time, to say where. When the cache cannot be read
 * or written (a read-only install), files are simply parsed.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { deserialize, serialize } from 'node:v8'
import { PROJECT_ROOT } from '../paths.ts'

/** By path (JSON of its segments): the line and column of the value, then of its key (of the item, in a sequence). */
export type Positions = Record<string, [number, number, number, number]>

export const YAML_CACHE_DIR = resolve(PROJECT_ROOT, 'node_modules', '.cache', 'conform-yaml')

/** Bump when the parse options or custom tags in source.ts change. */
const FORMAT = 'conform-yaml 1'

const yamlVersion = (() => {
  try {
    return (JSON.parse(readFileSync(createRequire(import.meta.url).resolve('yaml/package.json'), 'utf8')) as { version: string }).version
  } catch {
    return '?'
  }
})()

/** The cache file that holds (or would hold) the parse of this text. */
export function cacheEntryOf(text: string): string {
  const hash = createHash('sha256').update(FORMAT).update('\0').update(yamlVersion).update('\0').update(text).digest('hex').slice(0, 32)
  return resolve(YAML_CACHE_DIR, `${hash}.bin`)
}

/** The data and positions of an earlier clean parse of exactly this text, if the cache has them. */
export function readCachedParse(text: string): { data: unknown; positions: Positions } | undefined {
  let entry: unknown
  try {
    entry = deserialize(readFileSync(cacheEntryOf(text)))
  } catch {
    return undefined
  }
  const e = entry as { data?: unknown; positions?: unknown }
  if (!e || typeof e !== 'object' || !('data' in e) || !e.positions || typeof e.positions !== 'object') return undefined
  return { data: e.data, positions: e.positions as Positions }
}

export function writeCachedParse(text: string, data: unknown, positions: Positions): void {
  const file = cacheEntryOf(text)
  try {
    mkdirSync(YAML_CACHE_DIR, { recursive: true })
    const temp = `${file}.${process.pid}.tmp`
    writeFileSync(temp, serialize({ data, positions }))
    renameSync(temp, file)
  } catch {
    // a read-only install: every process parses
  }
}

/**
 * Parsed YAML kept on disk (node_modules/.cache/conform-yaml), keyed by the text itself: a file parsed before comes
 * back as its data and the positions of its values, without parsing. What a parse gives depends only on the text,
 * the yaml version and the parse options (fixed in source.ts; FORMAT changes with them), so an entry is never stale.
 * Only clean parses are kept: a file with a mistake is parsed every time, to say where; a config, only once loadProject
 * has accepted it (SourceFile.read with cache: false, then keep()). When the cache cannot be read or written (a
 * read-only install), files are simply parsed.
 */
import { deserialize, serialize } from 'node:v8'
import { DiskCache, packageVersion } from '../cache/disk-cache.ts'

/** By path (JSON of its segments): the line and column of the value, then of its key (of the item, in a sequence). */
export type Positions = Record<string, [number, number, number, number]>

const cache = new DiskCache('conform-yaml', '.bin')
export const YAML_CACHE_DIR = cache.dir

/** Bump when the parse options or custom tags in source.ts change. */
const FORMAT = 'conform-yaml 1'

const yamlVersion = packageVersion('yaml')

/** The cache file that holds (or would hold) the parse of this text. */
export function cacheEntryOf(text: string): string {
  return cache.entryOf([FORMAT, yamlVersion, text])
}

/** The data and positions of an earlier clean parse of exactly this text, if the cache has them. */
export function readCachedParse(text: string): { data: unknown; positions: Positions } | undefined {
  const bytes = cache.read(cacheEntryOf(text))
  if (!bytes) return undefined
  let entry: unknown
  try {
    entry = deserialize(bytes)
  } catch {
    return undefined
  }
  const e = entry as { data?: unknown; positions?: unknown }
  if (!e || typeof e !== 'object' || !('data' in e) || !e.positions || typeof e.positions !== 'object') return undefined
  return { data: e.data, positions: e.positions as Positions }
}

/** Keeps a clean parse (a read-only install keeps nothing: every process parses). */
export function writeCachedParse(text: string, data: unknown, positions: Positions): void {
  cache.write(cacheEntryOf(text), serialize({ data, positions }))
}

/**
 * A folder of derived files under node_modules/.cache, each named by a hash of everything it was derived from (its
 * key parts), so an entry is never stale: a different input names a different file. Entries are written to a
 * temporary file and renamed into place, so a process reading in parallel (the CLI, vitest workers) sees a whole entry
 * or none. Nothing here throws: a cache that cannot be read or written (a read-only install) is a miss.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { PROJECT_ROOT } from '../paths.ts'

export const CACHE_ROOT = resolve(PROJECT_ROOT, 'node_modules', '.cache')

const require = createRequire(import.meta.url)

/** An installed package's version, for cache keys ('?' when it cannot be read). */
export function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version
  } catch {
    return '?'
  }
}

export class DiskCache {
  readonly dir: string
  private readonly extension: string

  /** `name`: the folder under `root`; `extension`: of every entry, with its dot (`.bin`). */
  constructor(name: string, extension: string, root = CACHE_ROOT) {
    this.dir = resolve(root, name)
    this.extension = extension
  }

  /** The file that holds (or would hold) the entry derived from these parts (hashed in order, NUL between them). */
  entryOf(parts: readonly string[]): string {
    const hash = createHash('sha256')
    parts.forEach((p, i) => (i ? hash.update('\0') : hash).update(p))
    return resolve(this.dir, `${hash.digest('hex').slice(0, 32)}${this.extension}`)
  }

  /** The entry's bytes, or undefined when it is not there (or cannot be read). */
  read(entry: string): Buffer | undefined {
    try {
      return readFileSync(entry)
    } catch {
      return undefined
    }
  }

  /** Writes an entry whole (write, then rename); false when the cache cannot be written. */
  write(entry: string, content: string | Uint8Array): boolean {
    try {
      mkdirSync(this.dir, { recursive: true })
      const temp = `${entry}.${process.pid}.tmp`
      writeFileSync(temp, content)
      renameSync(temp, entry)
      return true
    } catch {
      return false
    }
  }
}

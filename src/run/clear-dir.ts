import { readdirSync, renameSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * Empties `dir` at once by moving it aside, and deletes what was in it in the background: removing a few
 * thousand freshly written files takes seconds on a slow disk, and the run need not wait for it. Await the
 * returned promise before exiting. Leftovers of an earlier run that did not get that far go too.
 */
export function clearDirInBackground(dir: string): Promise<void> {
  const parent = dirname(dir)
  const prefix = `${basename(dir)}.old-`
  try {
    renameSync(dir, join(parent, `${prefix}${process.pid}-${Date.now()}`))
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
  let stale: string[] = []
  try {
    stale = readdirSync(parent).filter((n) => n.startsWith(prefix))
  } catch {
    // no parent yet: nothing was there
  }
  return Promise.all(stale.map((n) => rm(join(parent, n), { recursive: true, force: true }))).then(() => undefined)
}

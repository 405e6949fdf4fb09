import { spawn } from 'node:child_process'
import { readdirSync, renameSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/**
 * Empties `dir` at once by moving it aside (to `aside`, whose files the run may reuse); `discard()` then deletes what
 * is left there (and what earlier runs moved aside) in a detached process, after the run: deleting the thousands of
 * files Allure writes per run is slow on some file systems, and no user should wait for it.
 */
export function moveAside(dir: string): { aside?: string; discard(): void } {
  const parent = dirname(dir)
  const prefix = `${basename(dir)}.old-`
  const to = join(parent, `${prefix}${process.pid}-${Date.now()}`)
  let aside: string | undefined
  try {
    renameSync(dir, to)
    aside = to
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
  return {
    ...(aside ? { aside } : {}),
    discard() {
      let folders: string[] = []
      try {
        folders = readdirSync(parent)
          .filter((n) => n.startsWith(prefix))
          .map((n) => join(parent, n))
      } catch {
        return
      }
      if (folders.length === 0) return
      const script = `for (const d of ${JSON.stringify(folders)}) require('node:fs').rmSync(d, { recursive: true, force: true })`
      spawn(process.execPath, ['-e', script], { detached: true, stdio: 'ignore' }).unref()
    },
  }
}

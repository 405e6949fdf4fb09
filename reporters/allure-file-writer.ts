/**
 * A process of its own that builds and writes a run's Allure results, at the lowest CPU priority
 * (reporters/allure-streaming.ts starts it). Turning a test into its result (allure-vitest's labels, allure's runtime
 * applying the check's messages) and creating ~2000 files (ext4 hunts for inodes it may reuse after a previous run's
 * were deleted) cost as much CPU as a third of the checks themselves: here they take only what the checks and the
 * target leave.
 *
 * Messages, in order: {test} turns a vitest test (a plain snapshot, see allure-streaming.ts) into its result
 * and attachments, as allure-vitest's reporter would; {name, content} writes a file into the directory given as
 * argv[2] (argv[3]: the reporter's configuration, JSON; argv[4]: the previous run's results, to reuse); {flush: n} is answered with {flushed: n, failure?} once everything before it is written. When the parent
 * goes away (its end, a crash, a kill), what was handed over is still written, then this process exits.
 */
import { readdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TestSnapshot } from './allure-snapshot.ts'

const dir = process.argv[2]!
const config = JSON.parse(process.argv[3] ?? '{}') as Record<string, unknown>
let failure: string | undefined

// Ctrl-C reaches the whole process group: the parent stops gracefully and flushes; this one finishes its files.
process.on('SIGINT', () => {})
process.on('SIGTERM', () => {})

// The previous run's files, moved aside (argv[4]): each new file is written into one of them, then renamed into place.
// On ext4 without a journal (this project's VM), creating ~2000 files within minutes of as many being deleted costs
// 0.6–1.4 s of kernel time a run (ext4's recently_deleted() check while it hunts for a free inode); reusing their
// inodes, a fifth of that. Elsewhere a rename costs a little more than a fresh file. And a reused file appears under
// its name only once written whole.
const recycle = process.argv[4]
let pool: string[] | undefined

function reusable(): string | undefined {
  if (!recycle) return undefined
  if (!pool) {
    try {
      pool = readdirSync(recycle).map((n) => join(recycle, n))
    } catch {
      pool = []
    }
  }
  return pool.pop()
}

function writeFile(name: string, content: string | Uint8Array): void {
  const to = join(dir, name)
  try {
    const old = reusable()
    if (old) {
      try {
        writeFileSync(old, content)
        renameSync(old, to)
        return
      } catch {
        // not a file after all, or gone: write it afresh
      }
    }
    writeFileSync(to, content)
  } catch (e) {
    failure ??= (e as Error).message
    process.exitCode = 1
  }
}

// Loaded while the first messages wait (a listener must be in place at once: a message nobody listens for is lost).
const builder = import('./allure-results.ts').then((m) => m.resultBuilder(dir, writeFile, config))

type Message = { name?: string; content?: string | Uint8Array; flush?: number; test?: TestSnapshot }
let queue: Promise<void> = Promise.resolve()

process.on('message', (m: Message) => {
  queue = queue.then(async () => {
    try {
      if (m.test) (await builder).add(m.test)
      else if (m.flush !== undefined) (await builder).flushGlobals()
      else writeFile(m.name!, m.content!)
    } catch (e) {
      failure ??= `Allure results: ${(e as Error).message}`
      process.exitCode = 1
    }
    // A flush is answered whatever happened before it: the parent waits for it.
    if (m.flush !== undefined) process.send?.({ flushed: m.flush, ...(failure ? { failure } : {}) })
  })
})
// No process.exit here: messages already received are still being handled; the process ends after the last one.
process.on('disconnect', () => {
  process.exitCode = failure ? 1 : 0
})

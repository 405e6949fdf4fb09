/**
 * A process of its own that writes a run's Allure files, at the lowest CPU priority (reporters/allure-streaming.ts
 * starts it). Creating ~2000 files costs the kernel far more than writing them (ext4 hunts for inodes it may reuse
 * after a previous run's were deleted): at low priority that work takes only what the checks and the target leave.
 *
 * Messages, in order: {name, content} writes a file into the directory given as argv[2]; {flush: n} is answered with
 * {flushed: n, failure?} once every earlier file is written. When the parent goes away (its end, a crash, a kill),
 * the files already handed over are still written, then this process exits.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

const dir = process.argv[2]!
let failure: string | undefined

// Ctrl-C reaches the whole process group: the parent stops gracefully and flushes; this one finishes its files.
process.on('SIGINT', () => {})
process.on('SIGTERM', () => {})

process.on('message', (m: { name?: string; content?: string | Uint8Array; flush?: number }) => {
  if (m.flush !== undefined) {
    process.send?.({ flushed: m.flush, ...(failure ? { failure } : {}) })
    return
  }
  try {
    writeFileSync(join(dir, m.name!), m.content!)
  } catch (e) {
    failure ??= (e as Error).message
    process.exitCode = 1
  }
})
// No process.exit here: messages already received are still being delivered; the process ends after the last one.
process.on('disconnect', () => {
  process.exitCode = failure ? 1 : 0
})

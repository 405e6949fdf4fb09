/**
 * The reference in a process of its own, for the replay (as in a run, where it lives in conform's main process and
 * the checks in a vitest worker). Prints one JSON line {url, controlKey} to stdout, stops on SIGTERM.
 */
import { startReference } from '../reference/index.ts'

const ref = await startReference()
process.stdout.write(`${JSON.stringify({ url: ref.url, controlKey: ref.controlKey })}\n`)
process.once('SIGTERM', () => void ref.close().then(() => process.exit(0)))

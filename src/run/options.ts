import type { BindingName } from '../bindings/types.ts'
import type { Shard } from './shard.ts'

/** What one run asks for (`conform run`'s flags, or vitest's `provide.conform`). */
export interface RunOptions {
  target: string
  configFile?: string
  specsDir?: string
  apis?: string[]
  bindings?: BindingName[]
  covers?: string[]
  /** Only these specs: each an id, or a file path relative to the project (`--spec`). */
  specs?: string[]
  seed: number
  strict: boolean
  deviations: string[]
  out: string
  /** The restore journal (absolute path) and the `conform run` process writing to it. */
  journal?: { file: string; pid: number }
  /** Each check runs this many times, each run with its own seed (default 1). */
  repeat?: number
  /** Only this part of the planned checks (`--shard i/n`). */
  shard?: Shard
}

export function defaultRunOptions(): RunOptions {
  return { target: 'reference', seed: 42, strict: false, deviations: [], out: 'reports' }
}

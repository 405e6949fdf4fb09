import { resolve } from 'node:path'
import type { ResolvedTarget } from '../engine/target.ts'
import { defaultRunOptions, type RunOptions } from '../run/options.ts'

/**
 * What a vitest run of the suite is asked to do, set in vitest's `provide` (vitest.config.ts, or a config of your own
 * that extends it; docs/vitest.md): every key optional, the defaults those of `conform run`.
 */
export interface ConformProvide {
  /** A target of the config (default: the config's defaultTarget, `reference`). */
  target?: string
  /** The config file (default: conform.config.yaml of the project). */
  config?: string
  /** The specs directory (default: specs/). */
  specs?: string
  seed?: number
  strict?: boolean
  /** Deviations of the embedded reference (see `conform deviations`). */
  deviations?: string[]
  /** Variations of the embedded reference (see `conform variations`). */
  variations?: string[]
  /** Only these APIs, bindings, behaviours or specs (ids or files). */
  apis?: string[]
  bindings?: RunOptions['bindings']
  covers?: string[]
  spec?: string[]
}

/** The run as the suite files receive it (global setup → workers). */
export interface ProvidedRun {
  options: RunOptions
  target: ResolvedTarget
}

/** The run options of a vitest run: paths resolved against the project root. */
export function runOptionsOf(provide: ConformProvide | undefined, root: string): RunOptions {
  const p = provide ?? {}
  return {
    ...defaultRunOptions(),
    ...(p.target ? { target: p.target } : {}),
    ...(p.config ? { configFile: resolve(root, p.config) } : {}),
    ...(p.specs ? { specsDir: resolve(root, p.specs) } : {}),
    ...(p.seed !== undefined ? { seed: p.seed } : {}),
    ...(p.strict !== undefined ? { strict: p.strict } : {}),
    ...(p.deviations ? { deviations: p.deviations } : {}),
    ...(p.apis ? { apis: p.apis } : {}),
    ...(p.bindings ? { bindings: p.bindings } : {}),
    ...(p.covers ? { covers: p.covers } : {}),
    ...(p.spec ? { specs: p.spec } : {}),
  }
}

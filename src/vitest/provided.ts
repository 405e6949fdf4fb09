import { resolve } from 'node:path'
import { checkReferenceNames } from '../cli/reference-names.ts'
import type { ResolvedTarget } from '../engine/target.ts'
import { ConformError } from '../errors.ts'
import type { Project } from '../project.ts'
import { selectionProblem } from '../run/check-selection.ts'
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

/** provide.conform's key for each option of a selection. */
const PROVIDE_KEY = { target: 'target', apis: 'apis', bindings: 'bindings', covers: 'covers', specs: 'spec' } as const

/**
 * Refuses, before the target starts, a provide.conform that names what the project does not have: a mistyped API or
 * spec would select nothing, and vitest would report the run of nothing as green. The questions `conform run` asks of
 * its flags; deviations and variations named as `conform deviations` and `conform variations` list them.
 */
export function checkProvided(project: Project, options: RunOptions, variations: readonly string[]): void {
  const problem = selectionProblem(project, options)
  if (problem) throw new ConformError('BAD_USAGE', 'spec', `provide.conform.${PROVIDE_KEY[problem.option]}: ${problem.message} (docs/vitest.md)`)
  checkReferenceNames({ deviations: options.deviations, variations })
}

/** A provide.conform whose filters, each naming something real, together select no check: never a green run of nothing. */
export function nothingSelected(options: RunOptions): ConformError {
  const keys = [
    ['apis', options.apis],
    ['bindings', options.bindings],
    ['covers', options.covers],
    ['spec', options.specs],
  ] as const
  const given = keys.flatMap(([k, v]) => (v?.length ? [`${k}: ${JSON.stringify(v)}`] : [])).join(', ')
  return new ConformError(
    'BAD_USAGE',
    'spec',
    `provide.conform selects no check on target "${options.target}"${given ? ` (${given})` : ''}; nothing was run (docs/vitest.md)`,
  )
}

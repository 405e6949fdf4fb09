import type { Selection } from '../report/conformance.ts'
import type { Project } from '../project.ts'
import type { Spec } from '../spec/model.ts'
import { closest } from '../cli/args.ts'
import { specSelected } from '../engine/plan.ts'
import type { RunOptions } from './options.ts'

/**
 * What a run asked for, as the report counts it: `--covers` and `--binding` as given; `--spec` selects the behaviours
 * its specs cover (only the selected specs' cells count, and other specs of those behaviours were not asked for).
 */
export function selectionOf(options: Pick<RunOptions, 'covers' | 'bindings' | 'specs'>, project: Pick<Project, 'specs'>): Selection | undefined {
  const fromSpecs = options.specs ? [...new Set(project.specs.filter((s) => specSelected(s, options.specs)).flatMap((s) => s.covers))] : undefined
  const covers = options.covers && fromSpecs ? options.covers.filter((c) => fromSpecs.includes(c)) : (options.covers ?? fromSpecs)
  if (!covers && !options.bindings && !options.specs) return undefined
  return { ...(covers ? { covers } : {}), ...(options.bindings ? { bindings: options.bindings } : {}), ...(options.specs ? { specs: options.specs } : {}) }
}

/** The spec id nearest to a mistyped one. */
export function closestSpec(id: string, specs: readonly Pick<Spec, 'id'>[]): string | undefined {
  return closest(
    id,
    specs.map((s) => s.id),
  )
}

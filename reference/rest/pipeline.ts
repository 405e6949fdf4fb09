/**
 * The replaceable stages of a REST service and the wrappers deviations put over them: the operation table,
 * the presenter (a handler's data → JSON value) and the envelope writer (a result → status and body).
 */
import type { Around } from '../asmx/pipeline.ts'
import type { JsonAnswer, RestHandler, RestResult } from './types.ts'

export type Presenter<D> = (data: D) => unknown

/** Wraps a result (its data already presented) in the API's envelope. */
export type EnvelopeWriter = (result: RestResult<unknown>) => JsonAnswer

export interface RestPipeline<C, D> {
  readonly operations: ReadonlyMap<string, RestHandler<C, D>>
  readonly present: Presenter<D>
  readonly envelope: EnvelopeWriter
}

export type RestWrap<C, D> =
  | { readonly layer: 'operation'; readonly operations: readonly string[]; readonly around: Around<RestHandler<C, D>> }
  | { readonly layer: 'present'; readonly around: Around<Presenter<D>> }
  | { readonly layer: 'envelope'; readonly around: Around<EnvelopeWriter> }

function applyWrap<C, D>(pipeline: RestPipeline<C, D>, wrap: RestWrap<C, D>): RestPipeline<C, D> {
  switch (wrap.layer) {
    case 'operation': {
      const operations = new Map(pipeline.operations)
      for (const name of wrap.operations) {
        const current = pipeline.operations.get(name)
        if (current === undefined) throw new Error(`a wrapper names an unknown operation: ${name}`)
        operations.set(name, wrap.around(current))
      }
      return { ...pipeline, operations }
    }
    case 'present':
      return { ...pipeline, present: wrap.around(pipeline.present) }
    case 'envelope':
      return { ...pipeline, envelope: wrap.around(pipeline.envelope) }
  }
}

/** Composes wrappers in order: the last one given is the outermost. */
export function composeRestPipeline<C, D>(base: RestPipeline<C, D>, wraps: readonly RestWrap<C, D>[]): RestPipeline<C, D> {
  return wraps.reduce(applyWrap, base)
}

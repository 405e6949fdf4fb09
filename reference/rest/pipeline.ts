/**
 * The replaceable stages of a REST service and the wrappers deviations put over them: the operation table,
 * the presenter (a handler's data → JSON value), the envelope writer (a result → status and body) and the
 * JSON writer (status and body → the HTTP answer: its bytes and Content-Type).
 */
import type { Around } from '../asmx/pipeline.ts'
import type { HttpAnswer } from '../http/types.ts'
import type { JsonAnswer, RestHandler, RestResult } from './types.ts'

export type Presenter<D> = (data: D) => unknown

/** Wraps a result (its data already presented) in the API's envelope. */
export type EnvelopeWriter = (result: RestResult<unknown>) => JsonAnswer

/** Serialises an answer (status and JSON body) as the HTTP answer. */
export type JsonWriter = (answer: JsonAnswer) => HttpAnswer

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'

export const writeJson: JsonWriter = (answer) => ({ status: answer.status, contentType: JSON_CONTENT_TYPE, body: JSON.stringify(answer.body) })

export interface RestPipeline<C, D> {
  readonly operations: ReadonlyMap<string, RestHandler<C, D>>
  readonly present: Presenter<D>
  readonly envelope: EnvelopeWriter
  readonly writeJson: JsonWriter
}

export type RestWrap<C, D> =
  | { readonly layer: 'operation'; readonly operations: readonly string[]; readonly around: Around<RestHandler<C, D>> }
  | { readonly layer: 'present'; readonly around: Around<Presenter<D>> }
  | { readonly layer: 'envelope'; readonly around: Around<EnvelopeWriter> }
  | { readonly layer: 'json-answer'; readonly around: Around<JsonWriter> }

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
    case 'json-answer':
      return { ...pipeline, writeJson: wrap.around(pipeline.writeJson) }
  }
}

/** Composes wrappers in order: the last one given is the outermost. */
export function composeRestPipeline<C, D>(base: RestPipeline<C, D>, wraps: readonly RestWrap<C, D>[]): RestPipeline<C, D> {
  return wraps.reduce(applyWrap, base)
}

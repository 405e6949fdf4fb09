/**
 * A variation: a named change of the reference that the documentation allows (another envelope prefix,
 * chunked answers, 415 instead of 400, …), as data plus the wrappers that produce it. Where deviations prove
 * that the suite catches what the documentation forbids, variations prove that it raises no alarm for what
 * the documentation allows. Each names the source that allows it.
 */
import type { AsmxWrap, Around } from '../asmx/pipeline.ts'
import type { EcUser } from '../ecgrid/users.ts'
import type { ErContext } from '../ecgrid-rest/context.ts'
import type { EoContext } from '../ecgridos/context.ts'
import type { HttpAnswer, HttpCall } from '../http/types.ts'
import type { IrContext } from '../inforouter/context.ts'
import type { LmWrap } from '../logicmelon/index.ts'
import type { RestWrap } from '../rest/pipeline.ts'

export interface VariationInfo {
  readonly name: string
  /** The API it changes, or '*' for every API it applies to. */
  readonly api: string
  readonly description: string
  /** What allows it: the standard, the page or the DESIGN decision. */
  readonly source: string
}

/** What the catalogue says of a variation: its info and the APIs whose answers it can change. */
export interface VariationListing extends VariationInfo {
  /**
   * The APIs it changes, with those that share a backend with them (ECGridOS and ECGrid REST, DESIGN D3): no
   * check of another API can see it.
   */
  readonly apis: readonly string[]
}

export type MountHandler = (call: HttpCall) => HttpAnswer | Promise<HttpAnswer>

/** Over a mount's answers (every answer of an API: SOAP, GET/POST, WSDL, REST), after the API wrote them. */
export interface HttpWrap {
  readonly layer: 'http-answer'
  readonly around: Around<MountHandler>
}

export interface VariationWraps {
  readonly inforouter?: readonly AsmxWrap<IrContext>[]
  readonly ecgridos?: readonly AsmxWrap<EoContext>[]
  readonly 'ecgrid-rest'?: readonly RestWrap<ErContext, EcUser>[]
  readonly logicmelon?: readonly LmWrap[]
  /** Applied to the mounts of the variation's `api` (every API's for '*'). */
  readonly http?: readonly HttpWrap[]
}

export interface Variation extends VariationInfo {
  readonly wraps: VariationWraps
}

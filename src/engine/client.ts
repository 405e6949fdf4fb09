import { bindingFor } from '../bindings/index.ts'
import type { BindingName, Outcome, ParamValue, WireAnswer, WireRequest } from '../bindings/types.ts'
import { ConformError } from '../errors.ts'
import type { ApiDescription } from '../spec/model.ts'
import type { Transport } from '../transport/index.ts'
import type { AnswerSchemas } from '../spec/answer-schemas.ts'

export interface CallResult {
  operation: string
  binding: BindingName
  request: WireRequest
  answer: WireAnswer
  outcome: Outcome
  /** Violations of the operation's answer schema (only for answers). */
  schemaErrors: string[]
}

/** Calls one API's operations over any of its bindings: encode, send, decode, validate. */
export class ApiClient {
  readonly api: ApiDescription
  readonly baseUrl: string
  private readonly transport: Transport
  private readonly schemas: AnswerSchemas

  constructor(api: ApiDescription, baseUrl: string, transport: Transport, schemas: AnswerSchemas) {
    this.api = api
    this.baseUrl = baseUrl.replace(/\/$/, '')
    this.transport = transport
    this.schemas = schemas
  }

  /** The wire request for a call (pure). */
  encode(binding: BindingName, operation: string, params: ReadonlyArray<readonly [string, ParamValue]>): WireRequest {
    const wire = this.api.bindings[binding]
    const op = this.api.operations[operation]
    if (!op || !wire) throw new ConformError('NOT_OFFERED', 'spec', `${this.api.api} has no ${operation} over ${binding}`)
    return bindingFor(binding).encode({
      baseUrl: this.baseUrl,
      path: (wire.path ?? '').replaceAll('{operation}', operation),
      operation,
      namespace: this.api.namespace,
      ...(wire.soapAction ? { soapAction: wire.soapAction.replaceAll('{operation}', operation) } : {}),
      ...(op.http ? { http: op.http } : {}),
      types: op.types,
      params,
    })
  }

  async call(binding: BindingName, operation: string, params: ReadonlyArray<readonly [string, ParamValue]>, signal?: AbortSignal): Promise<CallResult> {
    return this.send(binding, operation, this.encode(binding, operation, params), signal)
  }

  /** Sends an encoded request, decodes and validates the answer. Transport errors are ConformErrors (category transport). */
  async send(binding: BindingName, operation: string, request: WireRequest, signal?: AbortSignal, deadlineAt?: number): Promise<CallResult> {
    return this.interpret(binding, operation, request, await this.transport.send(request, signal, deadlineAt))
  }

  /** Decodes and validates an answer, however it was obtained (our transport or a generated client). */
  interpret(binding: BindingName, operation: string, request: WireRequest, answer: WireAnswer): CallResult {
    const op = this.api.operations[operation]!
    const codec = bindingFor(binding)
    const outcome = codec.decode(answer, {
      operation,
      namespace: this.api.namespace,
      ...(op.answer.element ? { answerElement: op.answer.element } : {}),
      ...(op.answer.httpElement ? { httpElement: op.answer.httpElement } : {}),
      wireBehaviours: this.api.wireBehaviours,
    })
    const schemaErrors = outcome.kind === 'answer' ? this.schemas.check(op.answer.schema, outcome.value) : []
    return { operation, binding, request, answer, outcome, schemaErrors }
  }
}

/**
 * The replaceable stages of an ASMX service, and the wrappers (`around`) that deviations put over them.
 * A faithful service is the base pipeline; a deviating one is the same pipeline with wrappers composed over
 * some stages. Handlers never test for deviations.
 */
import type { HttpAnswer } from '../http/types.ts'
import type { OperationHandler, OperationSpec, ParamValue, Params, ServiceSpec } from './types.ts'
import { aspNetUrlDecode, type NameValues, type ValueDecoder } from './url-decode.ts'
import { XML_DECLARATION, serializeIndented, type XmlElement } from './xml.ts'
import { writeSoapMessage, type SoapWriter } from './soap-writer.ts'
import { buildWsdl } from './wsdl.ts'

export type Around<F> = (next: F) => F

export type FormParamsResult = { readonly ok: true; readonly params: Params } | { readonly ok: false; readonly missing: string }

/** Reads an operation's parameters from a GET query or POST form (ValueCollectionParameterReader). */
export type FormParamReader = (op: OperationSpec, values: NameValues) => FormParamsResult

/** Writes a GET/POST result (XmlReturnWriter). */
export type HttpXmlWriter = (element: XmlElement) => HttpAnswer

/** Writes the service description (`?WSDL`) for a spec, with port addresses at `origin`. */
export type ServiceDescriber = (service: ServiceSpec, origin: string) => string

export interface AsmxPipeline<C, V extends ParamValue = string | null> {
  readonly decodeFormValue: ValueDecoder
  readonly readFormParams: ReadonlyMap<string, FormParamReader>
  readonly operations: ReadonlyMap<string, OperationHandler<C, V>>
  readonly writeHttpXml: HttpXmlWriter
  readonly writeSoap: SoapWriter
  readonly describe: ServiceDescriber
}

/** Where a deviation hooks in. `operations` lists the operations a per-operation wrapper applies to. */
export type AsmxWrap<C, V extends ParamValue = string | null> =
  | { readonly layer: 'operation'; readonly operations: readonly string[]; readonly around: Around<OperationHandler<C, V>> }
  | { readonly layer: 'form-params'; readonly operations: readonly string[]; readonly around: Around<FormParamReader> }
  | { readonly layer: 'form-value-decoder'; readonly around: Around<ValueDecoder> }
  | { readonly layer: 'http-xml-answer'; readonly around: Around<HttpXmlWriter> }
  | { readonly layer: 'soap-answer'; readonly around: Around<SoapWriter> }
  | { readonly layer: 'wsdl'; readonly around: Around<ServiceDescriber> }

export const readFormParams: FormParamReader = (op, values) => {
  const params: Record<string, string> = {}
  for (const name of op.params) {
    const value = values.get(name)
    if (value === undefined) return { ok: false, missing: name }
    params[name] = value
  }
  return { ok: true, params }
}

export const writeHttpXml: HttpXmlWriter = (element) => ({
  status: 200,
  contentType: 'text/xml; charset=utf-8',
  body: `${XML_DECLARATION}\n${serializeIndented(element)}`,
})

export function basePipeline<C, V extends ParamValue = string | null>(
  operations: readonly OperationSpec[],
  handlers: Readonly<Record<string, OperationHandler<C, V>>>,
): AsmxPipeline<C, V> {
  const table = new Map<string, OperationHandler<C, V>>()
  for (const op of operations) {
    const handler = handlers[op.name]
    if (handler === undefined) throw new Error(`no handler for operation ${op.name}`)
    table.set(op.name, handler)
  }
  return {
    decodeFormValue: aspNetUrlDecode,
    readFormParams: new Map(operations.map((op) => [op.name, readFormParams])),
    operations: table,
    writeHttpXml,
    writeSoap: writeSoapMessage,
    describe: buildWsdl,
  }
}

function wrapEach<F>(table: ReadonlyMap<string, F>, names: readonly string[], around: Around<F>): ReadonlyMap<string, F> {
  const next = new Map(table)
  for (const name of names) {
    const current = table.get(name)
    if (current === undefined) throw new Error(`a wrapper names an unknown operation: ${name}`)
    next.set(name, around(current))
  }
  return next
}

function applyWrap<C, V extends ParamValue>(pipeline: AsmxPipeline<C, V>, wrap: AsmxWrap<C, V>): AsmxPipeline<C, V> {
  switch (wrap.layer) {
    case 'operation':
      return { ...pipeline, operations: wrapEach(pipeline.operations, wrap.operations, wrap.around) }
    case 'form-params':
      return { ...pipeline, readFormParams: wrapEach(pipeline.readFormParams, wrap.operations, wrap.around) }
    case 'form-value-decoder':
      return { ...pipeline, decodeFormValue: wrap.around(pipeline.decodeFormValue) }
    case 'http-xml-answer':
      return { ...pipeline, writeHttpXml: wrap.around(pipeline.writeHttpXml) }
    case 'soap-answer':
      return { ...pipeline, writeSoap: wrap.around(pipeline.writeSoap) }
    case 'wsdl':
      return { ...pipeline, describe: wrap.around(pipeline.describe) }
  }
}

/** Composes wrappers in order: the last one given is the outermost. */
export function composePipeline<C, V extends ParamValue = string | null>(base: AsmxPipeline<C, V>, wraps: readonly AsmxWrap<C, V>[]): AsmxPipeline<C, V> {
  return wraps.reduce<AsmxPipeline<C, V>>(applyWrap, base)
}

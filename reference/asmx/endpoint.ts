import type { HttpAnswer } from '../http/types.ts'
import type { FormParamReader, HttpXmlWriter } from './pipeline.ts'
import type { SoapFault, SoapWriter } from './soap-writer.ts'
import type { Binding, OperationSpec, ParamValue, Params, ServiceSpec } from './types.ts'
import type { ValueDecoder } from './url-decode.ts'
import type { XmlElement } from './xml.ts'

/** The stages the protocol handlers use (the operation table stays behind `answer`). */
export interface EndpointStages {
  readonly decodeFormValue: ValueDecoder
  readonly readFormParams: ReadonlyMap<string, FormParamReader>
  readonly writeHttpXml: HttpXmlWriter
  readonly writeSoap: SoapWriter
}

/** How a protocol writes what an operation came to. */
export interface AnswerWriter {
  result(element: XmlElement): HttpAnswer
  fault(fault: SoapFault): HttpAnswer
}

/** What the GET/POST and SOAP protocol handlers need from a service. */
export interface Endpoint {
  readonly service: ServiceSpec
  readonly stages: EndpointStages
  /**
   * Runs the operation and writes its outcome with `write`. An exception in the operation, or a result that
   * cannot be written (a character XML cannot carry), becomes the service's internal-error outcome.
   */
  answer(op: OperationSpec, params: Params<ParamValue>, binding: Binding, write: AnswerWriter): HttpAnswer
}

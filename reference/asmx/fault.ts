/**
 * A SOAP fault raised by an operation handler, as ASMX's SoapException: the service answers it as a fault
 * (with its detail) instead of a result, and the operation's unit of work is rolled back.
 */
import type { SoapFault } from './soap-writer.ts'
import type { XmlElement } from './xml.ts'

export class SoapFaultError extends Error {
  readonly code = 'SOAP_FAULT'
  readonly fault: SoapFault

  constructor(fault: SoapFault) {
    super(fault.reason)
    this.name = 'SoapFaultError'
    this.fault = fault
  }
}

/** A fault an operation raises: HTTP 500, `soap:Client` (caller errors) or `soap:Server`, with detail children. */
export function operationFault(code: 'Client' | 'Server', reason: string, detail: readonly XmlElement[] = []): SoapFault {
  return { code, reason, status: 500, detail }
}

/**
 * An ordinary exception thrown in a web method (not a SoapException), as ASMX answers it: HTTP 500,
 * `soap:Server`, "Server was unable to process request. ---> <message>", an empty detail.
 */
export class WebMethodError extends SoapFaultError {
  /** The exception's own message (what follows "--->"). */
  readonly exceptionMessage: string

  constructor(exceptionMessage: string) {
    super({ code: 'Server', reason: `Server was unable to process request. ---> ${exceptionMessage}`, status: 500 })
    this.name = 'WebMethodError'
    this.exceptionMessage = exceptionMessage
  }
}

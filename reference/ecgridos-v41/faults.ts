/**
 * ECGridOS exceptions as the live service raises them (wiki "Soap-Exceptions", api-facts §1.5): a SoapException
 * whose detail carries `ErrorCode`, `ErrorString`, `ErrorItem` and `ErrorMessage` (un-namespaced), as the vendor's
 * own SDK reads them. Over HTTP GET/POST the framework answers the exception's message as text/plain.
 *
 * The vendor's numeric code table is not public (only 8 = "Invalid data length." is known): these codes are the
 * reference's own, and no spec depends on a number.
 */
import { SoapFaultError, operationFault } from '../asmx/fault.ts'
import { leaf } from '../asmx/xml.ts'

export interface ElError {
  readonly code: number
  readonly text: string
  readonly faultCode: 'Client' | 'Server'
}

export const LOGIN_FAILED: ElError = { code: 1, text: 'Invalid login.', faultCode: 'Client' }
export const INVALID_SESSION: ElError = { code: 2, text: 'Invalid SessionID.', faultCode: 'Client' }
export const ACCESS_DENIED: ElError = { code: 3, text: 'Access denied.', faultCode: 'Client' }
export const NOT_FOUND: ElError = { code: 4, text: 'Object not found.', faultCode: 'Client' }
export const INVALID_PARAMETER: ElError = { code: 5, text: 'Invalid parameter.', faultCode: 'Client' }
export const SYSTEM_ERROR: ElError = { code: 99, text: 'System error.', faultCode: 'Server' }

export const DETAIL_CHILDREN = ['ErrorCode', 'ErrorString', 'ErrorItem', 'ErrorMessage'] as const

export class ElFaultError extends SoapFaultError {
  readonly error: ElError

  constructor(error: ElError, item: string, message: string) {
    super(
      operationFault(error.faultCode, `${error.text} ${message}`, [
        leaf('ErrorCode', String(error.code)),
        leaf('ErrorString', error.text),
        leaf('ErrorItem', item),
        leaf('ErrorMessage', message),
      ]),
    )
    this.name = 'ElFaultError'
    this.error = error
  }
}

/** `item`: the parameter at fault; `message`: what about it. */
export const elFault = (error: ElError, item: string, message: string): ElFaultError => new ElFaultError(error, item, message)

/**
 * ECGridOS faults (D4): HTTP 500, `soap:Client` for caller errors or `soap:Server`, with exactly one detail
 * child `<ECGridOSSOAPErrorCode>` (un-namespaced) naming the error class. Handlers throw them.
 */
import { SoapFaultError, operationFault } from '../asmx/fault.ts'
import { leaf } from '../asmx/xml.ts'

export type EcgridosErrorCode = 'Authentication' | 'Authorization' | 'ObjectNotFound' | 'InvalidParameter' | 'SystemError'

export const AUTHENTICATION_FAILED = 'Authentication failed'
export const INVALID_SESSION = 'Invalid SessionID'
export const USER_NOT_FOUND = 'User not found'
export const ACCESS_DENIED = 'Access denied'
export const INVALID_EMAIL = 'Invalid email address'
export const UNEXPECTED_ERROR = 'An unexpected error occurred.'

export const DETAIL_ELEMENT = 'ECGridOSSOAPErrorCode'

export class EcgridosFaultError extends SoapFaultError {
  readonly errorCode: EcgridosErrorCode

  constructor(errorCode: EcgridosErrorCode, reason: string) {
    super(operationFault(errorCode === 'SystemError' ? 'Server' : 'Client', reason, [leaf(DETAIL_ELEMENT, errorCode)]))
    this.name = 'EcgridosFaultError'
    this.errorCode = errorCode
  }
}

export const ecgridosFault = (errorCode: EcgridosErrorCode, reason: string): EcgridosFaultError => new EcgridosFaultError(errorCode, reason)

/** The ECGridOS error code an operation failed with, or undefined when it did not fail that way. */
export function errorCodeOf(error: unknown): EcgridosErrorCode | undefined {
  return error instanceof EcgridosFaultError ? error.errorCode : undefined
}

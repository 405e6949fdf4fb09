/**
 * LogicMelon's operation failures: exceptions thrown in the web method, which ASMX answers as HTTP 500
 * `soap:Server` "Server was unable to process request. ---> <message>" with an empty detail. The messages
 * are stable (specs may match them).
 */
import { WebMethodError } from '../asmx/fault.ts'

export const AUTHENTICATION_FAILED = 'Authentication failed.'
export const ACCESS_DENIED = 'Access denied.'
export const USER_NOT_FOUND = 'User not found.'
export const CANNOT_MOVE = 'You are not able to move users using this function.'
export const ORGANISATION_NOT_FOUND = 'Organisation not found.'
export const USERNAME_EXISTS = 'Username already exists.'
/** What a .NET NullReferenceException says (a `Request` or `User` left out). */
export const NULL_REFERENCE = 'Object reference not set to an instance of an object.'
export const UNEXPECTED_ERROR = 'An unexpected error occurred.'

export type LmFaultMessage =
  | typeof AUTHENTICATION_FAILED
  | typeof ACCESS_DENIED
  | typeof USER_NOT_FOUND
  | typeof CANNOT_MOVE
  | typeof ORGANISATION_NOT_FOUND
  | typeof USERNAME_EXISTS
  | typeof NULL_REFERENCE
  | typeof UNEXPECTED_ERROR

export const lmFault = (message: LmFaultMessage): WebMethodError => new WebMethodError(message)

/** The message an operation failed with, or undefined when it did not fail that way. */
export const faultMessageOf = (error: unknown): string | undefined => (error instanceof WebMethodError ? error.exceptionMessage : undefined)

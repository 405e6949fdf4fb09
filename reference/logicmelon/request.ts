/**
 * What a call submitted, read from the framework's values: the `Request` wrapper, its text fields and its
 * `<User>`. A `Request` or `User` left out (or nil) is what .NET would meet as a null reference.
 */
import { isComplexValue, type ComplexValue, type ParamValue, type Params } from '../asmx/types.ts'
import { CUSER_FIELDS, type CUserField } from './cuser.ts'
import { NULL_REFERENCE, lmFault } from './faults.ts'

/**
 * Each CUser field as sent: absent when left out, null when nil, else its text (ints as canonical decimal
 * text, booleans as `true`/`false`).
 */
export type SubmittedUser = Readonly<Partial<Record<CUserField, string | null>>>

export function requestOf(params: Params<ParamValue>): ComplexValue {
  const request = params.Request
  if (!isComplexValue(request)) throw lmFault(NULL_REFERENCE)
  return request
}

/** A text field: null when left out or nil. */
export function textField(value: ComplexValue, field: string): string | null {
  const text = value[field]
  return typeof text === 'string' ? text : null
}

export function submittedUser(request: ComplexValue): SubmittedUser {
  const user = request.User
  if (!isComplexValue(user)) throw lmFault(NULL_REFERENCE)
  const fields = CUSER_FIELDS.filter(([field]) => Object.hasOwn(user, field)).map(([field]) => [field, textField(user, field)] as const)
  return Object.fromEntries(fields)
}

/** An int field's number: null when left out or nil. */
export const intOf = (text: string | null | undefined): number | null => (text === null || text === undefined ? null : Number(text))

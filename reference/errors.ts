/**
 * Typed errors of the reference target. Codes are stable: callers (the CLI, the suite) match on `code`,
 * never on the message.
 */
export type ReferenceErrorCode =
  | 'UNKNOWN_DEVIATION' // a deviation name that is not in the catalogue
  | 'UNKNOWN_VARIATION' // a variation name that is not in the catalogue
  | 'INVALID_OPTION' // a ReferenceOptions value of the wrong type or range
  | 'LISTEN_FAILED' // the HTTP server could not listen (port in use, bad host)

export class ReferenceConfigError extends Error {
  readonly code: ReferenceErrorCode
  /** For UNKNOWN_DEVIATION (UNKNOWN_VARIATION): every valid deviation (variation) name, in catalogue order. */
  readonly validNames: readonly string[]

  constructor(code: ReferenceErrorCode, message: string, validNames: readonly string[] = []) {
    super(message)
    this.name = 'ReferenceConfigError'
    this.code = code
    this.validNames = validNames
  }
}

/** Raised by the XML writer for characters XML 1.0 cannot carry; the service answers its SystemError instead. */
export class XmlCharacterError extends Error {
  readonly code = 'XML_INVALID_CHARACTER'

  constructor(codePoint: number) {
    super(`U+${codePoint.toString(16).toUpperCase().padStart(4, '0')} is not a valid XML 1.0 character`)
    this.name = 'XmlCharacterError'
  }
}

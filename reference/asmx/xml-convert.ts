/**
 * XmlSerializer's reading of typed values (XmlConvert): `s:int` is Int32.Parse with leading/trailing XML
 * white space and a leading sign allowed; `s:boolean` is exactly `true`, `false`, `1` or `0` after trimming
 * XML white space. Errors carry .NET's exception messages, which ASMX puts after
 * "There is an error in XML document (l, c). --->".
 */
export type Converted = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly message: string }

const XML_WHITESPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g
const INT_TEXT = /^[+-]?[0-9]+$/

export const FORMAT_MESSAGE = 'Input string was not in a correct format.'
export const OVERFLOW_MESSAGE = 'Value was either too large or too small for an Int32.'

const trimXml = (text: string): string => text.replace(XML_WHITESPACE, '')

/** The canonical decimal text of an xs:int, or the .NET error message. */
export function toInt32(text: string): Converted {
  const trimmed = trimXml(text)
  if (!INT_TEXT.test(trimmed)) return { ok: false, message: FORMAT_MESSAGE }
  const value = BigInt(trimmed)
  if (value < -2147483648n || value > 2147483647n) return { ok: false, message: OVERFLOW_MESSAGE }
  return { ok: true, value: value.toString() }
}

/** `true` or `false` for an xs:boolean, or XmlConvert.ToBoolean's message (which quotes the trimmed text). */
export function toBoolean(text: string): Converted {
  const trimmed = trimXml(text)
  if (trimmed === 'true' || trimmed === '1') return { ok: true, value: 'true' }
  if (trimmed === 'false' || trimmed === '0') return { ok: true, value: 'false' }
  return { ok: false, message: `The string '${trimmed}' is not a valid Boolean value.` }
}

/**
 * ASP.NET's URL decoding (HttpUtility.UrlDecode(string, Encoding)) and query/form parsing (HttpValueCollection):
 * `+` is a space, `%XX` bytes and ASCII characters are bytes decoded in the request's encoding (UTF-8 unless
 * the request names another; invalid sequences become U+FFFD), `%uXXXX` is a UTF-16 unit, other characters
 * stay as they are, malformed escapes stay literal. Repeated names are joined with ',' and looked up
 * case-insensitively.
 */
import { UTF8, type Charset } from './charset.ts'

function hexValue(text: string, start: number, length: number): number | undefined {
  const part = text.slice(start, start + length)
  if (part.length !== length || !/^[0-9A-Fa-f]+$/.test(part)) return undefined
  return Number.parseInt(part, 16)
}

export function aspNetUrlDecode(text: string, charset: Charset = UTF8): string {
  let out = ''
  let bytes: number[] = []
  const flush = (): void => {
    if (bytes.length > 0) {
      out += charset.decode(Uint8Array.from(bytes))
      bytes = []
    }
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? ''
    if (ch === '+') {
      bytes.push(0x20)
      continue
    }
    if (ch === '%') {
      if (text[i + 1] === 'u' || text[i + 1] === 'U') {
        const unit = hexValue(text, i + 2, 4)
        if (unit !== undefined) {
          flush()
          out += String.fromCharCode(unit)
          i += 5
          continue
        }
      } else {
        const byte = hexValue(text, i + 1, 2)
        if (byte !== undefined) {
          bytes.push(byte)
          i += 2
          continue
        }
      }
    }
    const code = ch.charCodeAt(0)
    if (code < 0x80) {
      bytes.push(code)
      continue
    }
    flush()
    out += ch
  }
  flush()
  return out
}

/**
 * Raw request bytes (a form body, or a query string as Node hands it over, one character per byte) as URL text:
 * bytes beyond ASCII become `%XX`, so that they are decoded in the request's encoding like escaped ones, as ASP.NET
 * decodes raw form and query bytes.
 */
export function rawBytesAsUrlText(latin1: string): string {
  return latin1.replace(/[\x80-\xff]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Case-insensitive name lookup over decoded name/value pairs (an ASP.NET NameValueCollection). */
export interface NameValues {
  get(name: string): string | undefined
}

/** Decodes one URL-encoded value in the request's encoding (a pipeline stage). */
export type ValueDecoder = (encoded: string, charset: Charset) => string

/**
 * Parses `a=1&b=2`. Names are always decoded by ASP.NET's rules; values by `decodeValue` (a pipeline stage,
 * so that a deviation can change it). A segment without '=' has no name and cannot be looked up.
 */
export function parseUrlEncoded(text: string, decodeValue: ValueDecoder, charset: Charset = UTF8): NameValues {
  const values = new Map<string, string[]>()
  if (text.length > 0) {
    for (const segment of text.split('&')) {
      const eq = segment.indexOf('=')
      if (eq < 0) continue
      const name = aspNetUrlDecode(segment.slice(0, eq), charset).toUpperCase()
      const value = decodeValue(segment.slice(eq + 1), charset)
      const list = values.get(name)
      if (list) list.push(value)
      else values.set(name, [value])
    }
  }
  return { get: (name) => values.get(name.toUpperCase())?.join(',') }
}

/** True when a bare `?WSDL` (or `?wsdl=…`) is present, matched case-insensitively as ASMX does. */
export function hasQueryKey(query: string, key: string): boolean {
  const wanted = key.toUpperCase()
  return query.split('&').some((segment) => aspNetUrlDecode(segment.split('=')[0] ?? '').toUpperCase() === wanted)
}

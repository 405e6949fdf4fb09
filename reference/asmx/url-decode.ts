/**
 * ASP.NET's URL decoding (HttpUtility.UrlDecode with UTF-8) and query/form parsing (HttpValueCollection):
 * `+` is a space, `%XX` bytes are decoded as UTF-8 (invalid sequences become U+FFFD), `%uXXXX` is a UTF-16
 * unit, malformed escapes stay literal. Repeated names are joined with ',' and looked up case-insensitively.
 */

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true })

function hexValue(text: string, start: number, length: number): number | undefined {
  const part = text.slice(start, start + length)
  if (part.length !== length || !/^[0-9A-Fa-f]+$/.test(part)) return undefined
  return Number.parseInt(part, 16)
}

export function aspNetUrlDecode(text: string): string {
  let out = ''
  let bytes: number[] = []
  const flush = (): void => {
    if (bytes.length > 0) {
      out += utf8.decode(Uint8Array.from(bytes))
      bytes = []
    }
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? ''
    if (ch === '+') {
      flush()
      out += ' '
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
    flush()
    out += ch
  }
  flush()
  return out
}

/** Case-insensitive name lookup over decoded name/value pairs (an ASP.NET NameValueCollection). */
export interface NameValues {
  get(name: string): string | undefined
}

export type ValueDecoder = (encoded: string) => string

/**
 * Parses `a=1&b=2`. Names are always decoded by ASP.NET's rules; values by `decodeValue` (a pipeline stage,
 * so that a deviation can change it). A segment without '=' has no name and cannot be looked up.
 */
export function parseUrlEncoded(text: string, decodeValue: ValueDecoder): NameValues {
  const values = new Map<string, string[]>()
  if (text.length > 0) {
    for (const segment of text.split('&')) {
      const eq = segment.indexOf('=')
      if (eq < 0) continue
      const name = aspNetUrlDecode(segment.slice(0, eq)).toUpperCase()
      const value = decodeValue(segment.slice(eq + 1))
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
  return query
    .split('&')
    .some((segment) => aspNetUrlDecode(segment.split('=')[0] ?? '').toUpperCase() === wanted)
}

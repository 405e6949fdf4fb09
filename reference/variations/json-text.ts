/**
 * JSON text with other spellings of the same value (RFC 8259): white space between tokens, member order,
 * strings as `\u` escapes, numbers in exponent form. `JSON.parse` of any of them gives the same value.
 */
export interface JsonStyle {
  /** Indentation per level and the line end; undefined: one line. */
  readonly indent?: { readonly unit: string; readonly newline: string }
  /** The order members are written in (default: as they are). */
  readonly order?: (keys: string[]) => string[]
  /** Every character of every string (names too) as a `\uXXXX` escape. */
  readonly escapeAll?: boolean
  /** How a number is spelled (default: JSON.stringify's). */
  readonly number?: (n: number) => string
}

const escapedAll = (s: string): string =>
  `"${Array.from(s)
    .flatMap((ch) => (ch.length === 2 ? [ch.charCodeAt(0), ch.charCodeAt(1)] : [ch.charCodeAt(0)]))
    .map((code) => `\\u${code.toString(16).padStart(4, '0')}`)
    .join('')}"`

export function jsonText(value: unknown, style: JsonStyle = {}): string {
  const str = (s: string): string => (style.escapeAll ? escapedAll(s) : JSON.stringify(s))
  const write = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return 'null'
    if (typeof v === 'string') return str(v)
    if (typeof v === 'number') return Number.isFinite(v) ? (style.number ?? String)(v) : 'null'
    if (typeof v === 'boolean') return String(v)
    const nl = style.indent ? `${style.indent.newline}${style.indent.unit.repeat(depth + 1)}` : ''
    const close = style.indent ? `${style.indent.newline}${style.indent.unit.repeat(depth)}` : ''
    const colon = style.indent ? ': ' : ':'
    if (Array.isArray(v)) return v.length === 0 ? '[]' : `[${v.map((item) => `${nl}${write(item, depth + 1)}`).join(',')}${close}]`
    const record = v as Record<string, unknown>
    const keys = Object.keys(record).filter((k) => record[k] !== undefined)
    const ordered = style.order ? style.order(keys) : keys
    if (ordered.length === 0) return '{}'
    return `{${ordered.map((k) => `${nl}${str(k)}${colon}${write(record[k], depth + 1)}`).join(',')}${close}}`
  }
  return write(value, 0)
}

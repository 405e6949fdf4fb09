/**
 * Character sets as .NET's `Encoding.GetEncoding(name)` resolves them for ASP.NET: a name it knows gives a decoder
 * (invalid input becomes U+FFFD, or `?` for us-ascii, as .NET's replacement fallbacks do); a name it does not know is
 * `undefined`, and each caller falls back the way its ASP.NET code path does (SOAP: soap-text.ts; forms: the
 * globalization default, UTF-8). WHATWG's TextDecoder serves where its decoding matches .NET's; ISO-8859-1,
 * ISO-8859-9, US-ASCII and UTF-32 are decoded here, because WHATWG maps the first three onto Windows code pages.
 */

export interface Charset {
  /** The .NET WebName (`utf-8`, `utf-16`, `utf-16BE`, `iso-8859-1`, `us-ascii`, …). */
  readonly name: string
  /** Decodes bytes without a byte order mark (callers strip it); never throws. */
  decode(bytes: Uint8Array): string
}

const viaTextDecoder = (name: string, label: string): Charset => {
  const decoder = new TextDecoder(label, { fatal: false, ignoreBOM: true })
  return { name, decode: (bytes) => decoder.decode(bytes) }
}

/** A single-byte charset that is ISO-8859-1 but for the bytes in `patch`. */
const latin = (name: string, patch: Readonly<Record<number, number>> = {}): Charset => {
  const patched = Object.keys(patch).map((b) => `\\x${Number(b).toString(16)}`)
  const pattern = patched.length === 0 ? undefined : new RegExp(`[${patched.join('')}]`, 'g')
  return {
    name,
    decode: (bytes) => {
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
      return pattern === undefined ? text : text.replace(pattern, (ch) => String.fromCharCode(patch[ch.charCodeAt(0)] ?? ch.charCodeAt(0)))
    },
  }
}

const usAscii: Charset = {
  name: 'us-ascii',
  decode: (bytes) => {
    let out = ''
    for (const byte of bytes) out += byte < 0x80 ? String.fromCharCode(byte) : '?'
    return out
  },
}

const utf32 = (name: string, bigEndian: boolean): Charset => ({
  name,
  decode: (bytes) => {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    let out = ''
    let i = 0
    for (; i + 4 <= bytes.length; i += 4) {
      const point = view.getUint32(i, !bigEndian)
      out += point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff) ? '\uFFFD' : String.fromCodePoint(point)
    }
    return i < bytes.length ? `${out}\uFFFD` : out
  },
})

export const UTF8 = viaTextDecoder('utf-8', 'utf-8')
export const UTF16LE = viaTextDecoder('utf-16', 'utf-16le')
export const UTF16BE = viaTextDecoder('utf-16BE', 'utf-16be')
export const UTF32LE = utf32('utf-32', false)
export const UTF32BE = utf32('utf-32BE', true)
export const US_ASCII = usAscii
export const ISO_8859_1 = latin('iso-8859-1')
const ISO_8859_9 = latin('iso-8859-9', { 208: 0x11e, 221: 0x130, 222: 0x15e, 240: 0x11f, 253: 0x131, 254: 0x15f })

/** .NET's names and aliases (lower case) for the charsets a user-update request may plausibly carry. */
const BY_NAME = new Map<string, () => Charset>()
const add = (charset: () => Charset, ...names: string[]): void => names.forEach((n) => BY_NAME.set(n, charset))

add(() => UTF8, 'utf-8', 'unicode-1-1-utf-8', 'unicode-2-0-utf-8', 'x-unicode11utf8', 'x-unicode20utf8')
add(() => UTF16LE, 'utf-16', 'utf-16le', 'unicode', 'ucs-2', 'iso-10646-ucs-2', 'unicodefeff')
add(() => UTF16BE, 'utf-16be', 'unicodefffe')
add(() => UTF32LE, 'utf-32', 'utf-32le')
add(() => UTF32BE, 'utf-32be')
add(() => US_ASCII, 'us-ascii', 'ascii', 'us', 'ansi_x3.4-1968', 'ansi_x3.4-1986', 'cp367', 'csascii', 'ibm367', 'iso-ir-6', 'iso646-us', 'iso_646.irv:1991')
add(() => ISO_8859_1, 'iso-8859-1', 'iso8859-1', 'iso_8859-1', 'iso_8859-1:1987', 'latin1', 'l1', 'cp819', 'ibm819', 'iso-ir-100', 'csisolatin1')
add(() => ISO_8859_9, 'iso-8859-9', 'iso_8859-9', 'iso_8859-9:1989', 'latin5', 'l5', 'iso-ir-148', 'csisolatin5')
for (const n of [2, 3, 4, 5, 6, 7, 8, 13, 15]) {
  const name = `iso-8859-${n}`
  add(() => viaTextDecoder(name, name), name, `iso_8859-${n}`)
}
for (let n = 1250; n <= 1258; n++) {
  const name = `windows-${n}`
  add(() => viaTextDecoder(name, name), name, `cp${n}`)
}
add(() => viaTextDecoder('koi8-r', 'koi8-r'), 'koi8-r', 'cskoi8r', 'koi8')
add(() => viaTextDecoder('koi8-u', 'koi8-u'), 'koi8-u')
add(() => viaTextDecoder('shift_jis', 'shift_jis'), 'shift_jis', 'shift-jis', 'sjis', 'csshiftjis', 'ms_kanji', 'x-sjis')
add(() => viaTextDecoder('euc-jp', 'euc-jp'), 'euc-jp', 'x-euc-jp')
add(() => viaTextDecoder('iso-2022-jp', 'iso-2022-jp'), 'iso-2022-jp')
add(() => viaTextDecoder('ks_c_5601-1987', 'euc-kr'), 'ks_c_5601-1987', 'euc-kr', 'korean')
add(() => viaTextDecoder('gb2312', 'gbk'), 'gb2312', 'gbk', 'cp936')
add(() => viaTextDecoder('GB18030', 'gb18030'), 'gb18030')
add(() => viaTextDecoder('big5', 'big5'), 'big5', 'cn-big5', 'csbig5')

const cache = new Map<string, Charset>()

/** `Encoding.GetEncoding(label)`: the charset, or undefined where .NET would throw (an unknown name). */
export function charsetByName(label: string): Charset | undefined {
  const key = label.trim().toLowerCase()
  const cached = cache.get(key)
  if (cached !== undefined) return cached
  const charset = BY_NAME.get(key)?.()
  if (charset !== undefined) cache.set(key, charset)
  return charset
}

/**
 * The byte order mark `StreamReader` recognises (detectEncodingFromByteOrderMarks): UTF-8, UTF-32 LE/BE, UTF-16
 * LE/BE, with its length; undefined without one.
 */
export function byteOrderMark(bytes: Uint8Array): { readonly charset: Charset; readonly length: number } | undefined {
  const [a, b, c, d] = bytes
  if (a === 0xef && b === 0xbb && c === 0xbf) return { charset: UTF8, length: 3 }
  if (a === 0xff && b === 0xfe) return c === 0 && d === 0 && bytes.length >= 4 ? { charset: UTF32LE, length: 4 } : { charset: UTF16LE, length: 2 }
  if (a === 0xfe && b === 0xff) return { charset: UTF16BE, length: 2 }
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return { charset: UTF32BE, length: 4 }
  return undefined
}

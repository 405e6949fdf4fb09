/**
 * Decoded views of a text, for the redactor. A secret travels escaped: as XML text or attribute (any of the five
 * entities, or character references `&#39;` `&#x27;` `&#X27;` `&#039;`), percent-encoded (either hex case, UTF-8
 * sequences), as a JSON string (`\"` `\/` `\\` `\n` … `\uXXXX` of either case), inside HTTP Basic credentials (base64
 * of `user:password`), or escaped twice over (an XML fault quoting an escaped request, a JSON message quoting JSON).
 * Instead of listing every form a secret can take, the text is decoded and the secret looked for in what it reads as.
 *
 * A view is the text with the escapes of one encoding undone (exact for text written in that one encoding), or of
 * all of them, pass after pass until nothing changes (for nested and mixed encodings). Each view maps its characters
 * back to the span of the original text they came from: a decoded character to its whole escape.
 */

/** One escape of a view: view characters [at, at + length) came from original characters [from, to). */
interface Piece {
  at: number
  length: number
  from: number
  to: number
}

export class View {
  readonly text: string
  private readonly pieces: Piece[]
  private readonly parent: View | undefined

  constructor(text: string, pieces: Piece[], parent?: View) {
    this.text = text
    this.pieces = pieces
    this.parent = parent
  }

  /** The span of the original text that view characters [start, end) came from (end > start). */
  span(start: number, end: number): [number, number] {
    const s = this.position(start, false)
    const e = this.position(end - 1, true)
    return this.parent ? this.parent.span(s, e) : [s, e]
  }

  /** Where view character k starts (or ends, `after`) in the text this view was decoded from. */
  private position(k: number, after: boolean): number {
    let lo = 0
    let hi = this.pieces.length - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (this.pieces[mid]!.at <= k) {
        found = mid
        lo = mid + 1
      } else {
        hi = mid - 1
      }
    }
    if (found < 0) return after ? k + 1 : k
    const p = this.pieces[found]!
    if (k < p.at + p.length) return after ? p.to : p.from
    const raw = p.to + (k - p.at - p.length)
    return after ? raw + 1 : raw
  }
}

/** An escape decoded at a position: its text and how many characters of the source it stands for. */
interface Decoded {
  text: string
  length: number
}

interface Encoding {
  /** The next position at or after `from` where an escape of this encoding may start (-1: none). */
  next(s: string, from: number): number
  decode(s: string, i: number): Decoded | undefined
}

const HEX = /^[0-9a-fA-F]+$/
const DEC = /^[0-9]+$/
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }

function hexByte(s: string, i: number): number {
  const h = s.slice(i, i + 2)
  return h.length === 2 && HEX.test(h) ? parseInt(h, 16) : -1
}

/** XML (and HTML) entities and character references; names are matched whatever their case (`&AMP;`). */
const xml: Encoding = {
  next: (s, from) => s.indexOf('&', from),
  decode(s, i) {
    // Long enough for `&#x0010FFFF;` and a few leading zeros more.
    const semi = s.indexOf(';', i + 2)
    if (semi < 0 || semi - i > 16) return undefined
    const body = s.slice(i + 1, semi)
    const named = NAMED[body.toLowerCase()]
    if (named) return { text: named, length: semi + 1 - i }
    if (body[0] !== '#') return undefined
    const hex = body[1] === 'x' || body[1] === 'X'
    const digits = body.slice(hex ? 2 : 1)
    if (!digits || !(hex ? HEX : DEC).test(digits)) return undefined
    const cp = parseInt(digits, hex ? 16 : 10)
    return cp <= 0x10ffff ? { text: String.fromCodePoint(cp), length: semi + 1 - i } : undefined
  },
}

/** Percent-encoding: a UTF-8 sequence of `%XX` is one character; a byte that starts none stands as Latin-1. */
const percent: Encoding = {
  next: (s, from) => s.indexOf('%', from),
  decode(s, i) {
    const b0 = hexByte(s, i + 1)
    if (b0 < 0) return undefined
    const n = b0 >= 0xf0 && b0 <= 0xf4 ? 4 : b0 >= 0xe0 && b0 < 0xf0 ? 3 : b0 >= 0xc2 && b0 < 0xe0 ? 2 : 1
    if (n > 1) {
      let cp = b0 & (n === 2 ? 0x1f : n === 3 ? 0x0f : 0x07)
      let k = 1
      for (; k < n; k++) {
        const b = s[i + 3 * k] === '%' ? hexByte(s, i + 3 * k + 1) : -1
        if (b < 0x80 || b > 0xbf) break
        cp = (cp << 6) | (b & 0x3f)
      }
      const valid = k === n && (n === 2 || (n === 3 ? cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff) : cp >= 0x10000 && cp <= 0x10ffff))
      if (valid) return { text: String.fromCodePoint(cp), length: 3 * n }
    }
    return { text: String.fromCharCode(b0), length: 3 }
  },
}

const JSON_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', "'": "'" }

/** JSON (and JavaScript) string escapes; `\uXXXX` is one UTF-16 unit, so a surrogate pair is two of them. */
const json: Encoding = {
  next: (s, from) => s.indexOf('\\', from),
  decode(s, i) {
    const c = s[i + 1]
    if (c === undefined) return undefined
    const simple = JSON_ESCAPES[c]
    if (simple !== undefined) return { text: simple, length: 2 }
    if (c !== 'u' && c !== 'U') return undefined
    const h = s.slice(i + 2, i + 6)
    return h.length === 4 && HEX.test(h) ? { text: String.fromCharCode(parseInt(h, 16)), length: 6 } : undefined
  },
}

const BASIC = /(?<![A-Za-z])[Bb]asic +(?=[A-Za-z0-9+/])/g
const BASE64 = /[A-Za-z0-9+/]+={0,2}/y

/** HTTP Basic credentials: the base64 after `Basic ` reads as `user:password` (the whole token goes with a secret). */
const basic: Encoding = {
  next(s, from) {
    BASIC.lastIndex = from
    const m = BASIC.exec(s)
    return m ? m.index + m[0].length : -1
  },
  decode(s, i) {
    BASE64.lastIndex = i
    const token = BASE64.exec(s)?.[0]
    if (!token || token.length < 4) return undefined
    return { text: Buffer.from(token, 'base64').toString('utf8'), length: token.length }
  },
}

/** Bits of `escapeMarks`: which escape characters a text holds. */
export const XML_MARK = 1
export const PERCENT_MARK = 2
export const JSON_MARK = 4
/** A space: the text may hold `Basic ` credentials. */
export const SPACE_MARK = 8

/** The mark of each byte that may start an escape (`&`, `%`, `\`, and a space), 0 for the others: a caller scanning a text's bytes collects them. */
export const ESCAPE_MARK = new Uint8Array(256)
ESCAPE_MARK[0x26] = XML_MARK
ESCAPE_MARK[0x25] = PERCENT_MARK
ESCAPE_MARK[0x5c] = JSON_MARK
ESCAPE_MARK[0x20] = SPACE_MARK

/** The escape characters `s` holds, as marks. */
export function escapeMarks(s: string): number {
  return (s.includes('&') ? XML_MARK : 0) | (s.includes('%') ? PERCENT_MARK : 0) | (s.includes('\\') ? JSON_MARK : 0) | (s.includes(' ') ? SPACE_MARK : 0)
}

/**
 * The encodings whose escapes a text may hold, given its marks (a mark may be wrong the safe way: a character beyond
 * Latin-1 whose low byte is `&` only costs a look).
 */
function present(s: string, marks = escapeMarks(s)): Encoding[] {
  const found: Encoding[] = []
  if (marks & XML_MARK) found.push(xml)
  if (marks & PERCENT_MARK) found.push(percent)
  if (marks & JSON_MARK) found.push(json)
  // A cheap look first: `Basic ` and `basic ` (as HTTP clients write it; `BASIC ` and the like are not looked for).
  if (marks & SPACE_MARK && s.length > 6 && s.includes('asic ')) {
    BASIC.lastIndex = 0
    if (BASIC.test(s)) found.push(basic)
  }
  return found
}

/** `s` with every escape of the given encodings undone, left to right; undefined when there was none. */
function decodeOnce(s: string, encodings: readonly Encoding[], parent?: View): View | undefined {
  const next = encodings.map((e) => e.next(s, 0))
  const parts: string[] = []
  const pieces: Piece[] = []
  let done = 0
  let length = 0
  for (;;) {
    let which = -1
    for (let k = 0; k < next.length; k++) if (next[k]! >= 0 && (which < 0 || next[k]! < next[which]!)) which = k
    if (which < 0) break
    const i = next[which]!
    const d = encodings[which]!.decode(s, i)
    if (!d) {
      next[which] = encodings[which]!.next(s, i + 1)
      continue
    }
    parts.push(s.slice(done, i), d.text)
    length += i - done
    pieces.push({ at: length, length: d.text.length, from: i, to: i + d.length })
    length += d.text.length
    done = i + d.length
    for (let k = 0; k < next.length; k++) if (next[k]! >= 0 && next[k]! < done) next[k] = encodings[k]!.next(s, done)
  }
  if (pieces.length === 0) return undefined
  parts.push(s.slice(done))
  return new View(parts.join(''), pieces, parent)
}

/** Nested escapes (`&amp;lt;`, `\\u0026`) are undone this many layers deep. */
const MAX_LAYERS = 4

/** `s` decoded by every encoding it holds, layer after layer until nothing changes; undefined when nothing did. */
function decodeAll(s: string): View | undefined {
  let view: View | undefined
  for (let layer = 0; layer < MAX_LAYERS; layer++) {
    const text = view ? view.text : s
    const encodings = present(text)
    if (encodings.length === 0) break
    const deeper = decodeOnce(text, encodings, view)
    if (!deeper) break
    view = deeper
  }
  return view
}

/**
 * The views of a text worth looking for secrets in, besides the text itself: one per encoding it holds (exact for
 * text written in that encoding: a literal `%41` in XML is not read as `A`), and the fully decoded one. `marks`: the
 * text's escapeMarks, when the caller has them already.
 */
export function decodedViews(s: string, marks?: number): View[] {
  const encodings = present(s, marks)
  if (encodings.length === 0) return []
  const views: View[] = []
  for (const e of encodings) {
    const v = decodeOnce(s, [e])
    if (v) views.push(v)
  }
  const all = decodeAll(s)
  if (all && !views.some((v) => v.text === all.text)) views.push(all)
  return views
}

/** What a secret reads as once every escape in it is undone (a secret may itself look escaped: `p%41ss`). */
export function fullyDecoded(s: string): string {
  return decodeAll(s)?.text ?? s
}

import { decodedViews, ESCAPE_MARK, fullyDecoded, type View } from './redact-views.ts'

/** The bitmap of form starts: 2^16 entries, indexed by a hash's low bits (a larger one costs more in cache misses than it saves). */
const BITMAP_MASK = 0xffff
/**
 * A redactor of a few secrets (the leak scan makes two per answer) starts with 2^10 entries, and grows to the full
 * bitmap once it holds more forms than a sixteenth of that: 64 KiB zeroed per answer was a tenth of the checks' CPU.
 */
const SMALL_MASK = 0x3ff

/**
 * Secrets (configured credentials and every token met at run time) are replaced by *** in every output, in whatever
 * form they travel: raw, percent-encoded (either hex case, `+` for a space), as form data, as XML text or attribute
 * (any of the entities escaped or not, character references), as a JSON string (any escapes), in HTTP Basic
 * credentials and other base64. The text is looked at as written and as it reads decoded (redact-views.ts); the
 * secret is looked for in each view, and what it covers in the text goes.
 *
 * Short secrets. A secret (or what it reads as decoded) of 1 to 3 characters goes only where it stands as a whole
 * value: after the start of the text, one of  > = :  or a quote that opens a value (one after the start, = : [ ( {
 * or whitespace), and before the end of the text or one of  < " ' & ; , ) ] } CR LF (but not as a JSON key:
 * `"ab":`). So a password "ab" goes from `<PWD>ab</PWD>`, `PWD=ab&…`, `"password":"ab"`, `user:ab`
 * (Basic) and a header that is only `ab`, but the "ab" of "about" stays. Secrets of 4 characters or more go wherever
 * they stand. In base64 other than Basic credentials, a secret is found by the base64 of its bytes at each of the three
 * alignments (8 characters at least; shorter ones would blank chance matches).
 */
export class Redactor {
  /** The secrets given. */
  private readonly given = new Set<string>()
  /** Forms of 4 characters or more: found anywhere. */
  private readonly forms = new Set<string>()
  /** Forms by their first four characters, longest first (the longest form at a position wins). */
  private readonly byPrefix = new Map<string, string[]>()
  /** One bit per hash of four characters that begins some form: most positions of a text are passed over at one lookup. */
  private starts = new Uint8Array(SMALL_MASK + 1)
  private mask = SMALL_MASK
  /** Forms that are base64: a hit takes its whole base64 token along (the characters at its edges hold secret bits). */
  private readonly base64 = new Set<string>()
  /** Forms of 1 to 3 characters: found only as a whole value. */
  private readonly short = new Set<string>()
  private shortPattern: RegExp | undefined
  /** What one redact call found (start, end pairs), kept from call to call. */
  private readonly spans: number[] = []

  add(secret: string | undefined): void {
    if (!secret || this.given.has(secret)) return
    this.given.add(secret)
    const decoded = fullyDecoded(secret)
    const b64 = base64Forms(secret)
    // A secret may look escaped itself (`p%41ss`): a fully decoded view shows it decoded. Lone surrogates go as U+FFFD.
    for (const form of new Set([secret, secret.toWellFormed(), decoded, decoded.toWellFormed(), ...b64])) {
      // A `+` reads as a space in form data; both sides are compared with spaces for `+` (see `scan`).
      const f = form.replaceAll('+', ' ')
      if (b64.includes(form)) this.base64.add(f)
      if (f.length < 4) {
        if (f.length > 0 && !this.short.has(f)) {
          this.short.add(f)
          this.shortPattern = undefined
        }
        continue
      }
      if (this.forms.has(f)) continue
      this.forms.add(f)
      const key = f.slice(0, 4)
      const list = this.byPrefix.get(key) ?? []
      const at = list.findIndex((s) => s.length < f.length)
      list.splice(at < 0 ? list.length : at, 0, f)
      this.byPrefix.set(key, list)
      if (this.mask < BITMAP_MASK && this.forms.size > (this.mask + 1) / 16) this.grow()
      this.starts[hashOfStart(f) & this.mask] = 1
    }
  }

  /** The full bitmap, every form's start marked again. */
  private grow(): void {
    this.mask = BITMAP_MASK
    this.starts = new Uint8Array(BITMAP_MASK + 1)
    for (const f of this.forms) this.starts[hashOfStart(f) & BITMAP_MASK] = 1
  }

  /**
   * Every secret replaced by ***, in every view of the text; where found spans overlap, their union goes. Linear in
   * the text, whatever the number of secrets (a run meets thousands: every user's password, every ticket).
   */
  redact(text: string): string {
    if (text.length === 0 || (this.short.size === 0 && (this.forms.size === 0 || text.length < 4))) return text
    const spans = this.spans
    spans.length = 0
    const marks = this.scan(text, undefined, spans)
    // Most texts hold no escape at all: no view to decode.
    if (marks !== 0) for (const view of decodedViews(text, marks)) this.scan(view.text, view, spans)
    return spans.length === 0 ? text : cut(text, spans)
  }

  /**
   * Adds to `spans` (start, end pairs of the original text) every form found in `text`, a view of it. Returns the
   * escape marks of the text when its bytes were scanned (redact-views.ts).
   */
  private scan(text: string, view: View | undefined, spans: number[]): number | undefined {
    // A `+` reads as a space in form data: texts and forms are compared with spaces for `+`.
    const t = text.includes('+') ? text.replaceAll('+', ' ') : text
    const marks = this.forms.size && t.length >= 4 ? this.scanLong(text, t, view, spans) : undefined
    if (this.short.size) {
      const pattern = (this.shortPattern ??= shortPatternOf(this.short))
      pattern.lastIndex = 0
      for (const m of t.matchAll(pattern)) pushSpan(spans, view, m.index, m.index + m[0].length)
    }
    // A `+` made a space: the space mark may be the `+`'s, which only costs a look for `Basic `.
    return marks
  }

  /** Every place a form of 4 characters or more starts in `t` (`text` with spaces for `+`), overlapping ones too. */
  private scanLong(text: string, t: string, view: View | undefined, spans: number[]): number {
    const n = t.length
    const starts = this.starts
    const mask = this.mask
    // Scanned as bytes, one per UTF-16 unit (its low byte): a typed array reads the same whatever the string's inner
    // form (V8's sliced, cons and two-byte strings made charCodeAt four times slower here). A collision only costs a look.
    const b = Buffer.from(t, 'latin1')
    // The hash of the four units at i, rolled along one unit at a time (hashAt's arithmetic, modulo 2^32).
    let h = hashAt(b, 0)
    let marks = ESCAPE_MARK[b[0]!]! | ESCAPE_MARK[b[1]!]! | ESCAPE_MARK[b[2]!]! | ESCAPE_MARK[b[3]!]!
    for (let i = 0; ; i++) {
      if (starts[h & mask] === 1) {
        const hit = this.formAt(t, i)
        if (hit === undefined) {
          // a collision
        } else if (this.base64.has(hit)) {
          const [s, e] = base64Token(text, i, i + hit.length)
          pushSpan(spans, view, s, e)
        } else {
          pushSpan(spans, view, i, i + hit.length)
        }
      }
      if (i + 4 >= n) break
      const next = b[i + 4]!
      marks |= ESCAPE_MARK[next]!
      h = (Math.imul(h - Math.imul(b[i]!, 29791), 31) + next) | 0
    }
    return marks
  }

  /** The longest form that starts at `i`, if any. */
  private formAt(text: string, i: number): string | undefined {
    const list = this.byPrefix.get(text.slice(i, i + 4))
    if (!list) return undefined
    for (const s of list) if (text.startsWith(s, i)) return s
    return undefined
  }

  /** Deep-redacts strings in a JSON-like value. */
  redactValue<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T
    if (Array.isArray(value)) {
      const out: unknown[] = new Array(value.length)
      for (let i = 0; i < value.length; i++) out[i] = this.redactValue(value[i])
      return out as T
    }
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {}
      for (const k of Object.keys(value)) out[k] = this.redactValue((value as Record<string, unknown>)[k])
      return out as T
    }
    return value
  }
}

/** Base64 shorter than this is not looked for (it would match by chance): Basic credentials are decoded instead. */
const MIN_BASE64 = 8

/**
 * The base64 characters that depend on the secret's bytes alone, at each of the three alignments the secret may have
 * in the encoded bytes (the groups it fills; a hit takes the rest of its base64 token along, see base64Token).
 */
function base64Forms(secret: string): string[] {
  // Six bytes are the fewest whose base64 has MIN_BASE64 characters of their own (at one alignment).
  if (secret.length < 2) return []
  const n = Buffer.byteLength(secret, 'utf8')
  if (n < 6) return []
  // The secret's bytes after two zero bytes: from offset 2 - a, they stand at alignment a.
  const padded = Buffer.alloc(n + 2)
  padded.write(secret, 2, 'utf8')
  const forms: string[] = []
  for (let a = 0; a < 3; a++) {
    // With bytes before it, the first group also holds theirs; the last group holds the bytes after it.
    const form = padded.toString('base64', 2 - a).slice(a === 0 ? 0 : 4, Math.floor((a + n) / 3) * 4)
    if (form.length >= MIN_BASE64) forms.push(form)
  }
  return forms
}

/** The base64 token around [start, end): the letters, digits, `+`, `/`, `-`, `_` and `=` on either side. */
function base64Token(text: string, start: number, end: number): [number, number] {
  const inToken = (c: number) =>
    (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f || c === 0x2d || c === 0x5f || c === 0x3d
  let s = start
  let e = end
  while (s > 0 && inToken(text.charCodeAt(s - 1))) s--
  while (e < text.length && inToken(text.charCodeAt(e))) e++
  return [s, e]
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Short forms where they stand as a whole value: between a value's delimiters (or the text's ends). */
function shortPatternOf(short: ReadonlySet<string>): RegExp {
  const alternatives = [...short]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|')
  // Before it: the start, > = : or a quote that opens a value (after the start, = : [ ( { or a space; a quote after
  // anything else closes one: in `"a","b"` the comma stands between quotes but is no value).
  const before = `(?:(?<![^>=:])|(?<=(?:^|[=:[({\\s])["']))`
  return new RegExp(`${before}(?:${alternatives})(?![^<"'&;,)\\]}\\r\\n])(?!"\\s*:)`, 'g')
}

/** Adds view characters [start, end) to `spans` as the span of the original text they came from. */
function pushSpan(spans: number[], view: View | undefined, start: number, end: number): void {
  if (view) {
    const [s, e] = view.span(start, end)
    spans.push(s, e)
  } else {
    spans.push(start, end)
  }
}

/** `text` with each span (start, end pairs, overlapping or not) replaced by ***; overlapping spans go as one. */
function cut(text: string, spans: number[]): string {
  const order = Array.from({ length: spans.length / 2 }, (_, k) => k).sort((x, y) => spans[2 * x]! - spans[2 * y]! || spans[2 * y + 1]! - spans[2 * x + 1]!)
  let out = ''
  let done = 0
  for (const k of order) {
    const start = spans[2 * k]!
    const end = spans[2 * k + 1]!
    if (end <= done) continue
    if (start >= done) {
      out += `${text.slice(done, start)}***`
    }
    done = end
  }
  return out + text.slice(done)
}

/** A hash of the four bytes at `i` (int32; the bitmap uses its low 16 bits). */
function hashAt(b: Uint8Array, i: number): number {
  return (Math.imul(b[i]!, 29791) + Math.imul(b[i + 1]!, 961) + Math.imul(b[i + 2]!, 31) + b[i + 3]!) | 0
}

/** hashAt of the first four units of `s`, each as its low byte (what scanLong's latin1 view of a text holds). */
function hashOfStart(s: string): number {
  return (
    (Math.imul(s.charCodeAt(0) & 0xff, 29791) + Math.imul(s.charCodeAt(1) & 0xff, 961) + Math.imul(s.charCodeAt(2) & 0xff, 31) + (s.charCodeAt(3) & 0xff)) | 0
  )
}

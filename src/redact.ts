/**
 * Secrets (configured credentials and every token met at run time) are replaced by *** in every
 * output. A secret is also caught in the encoded forms it travels in (URL and XML escaping).
 */
export class Redactor {
  private readonly secrets = new Set<string>()
  /** The secrets given (each also stands in `secrets` in its encoded forms). */
  private readonly given = new Set<string>()
  /** Secrets by their first four characters, longest first (the longest secret at a position wins). */
  private readonly byPrefix = new Map<string, string[]>()
  /** One bit per hash of four characters that begins some secret: most positions of a text are passed over at one lookup. */
  private readonly starts = new Uint8Array(1 << 16)

  add(secret: string | undefined): void {
    if (!secret || secret.length < 4) return
    if (this.given.has(secret)) return
    this.given.add(secret)
    for (const form of [secret, uriEncoded(secret), escapeXml(secret), formEncoded(secret)]) {
      if (this.secrets.has(form)) continue
      this.secrets.add(form)
      const key = form.slice(0, 4)
      const list = this.byPrefix.get(key) ?? []
      const at = list.findIndex((s) => s.length < form.length)
      list.splice(at < 0 ? list.length : at, 0, form)
      this.byPrefix.set(key, list)
      this.starts[hashOfStart(form) & 0xffff] = 1
    }
  }

  /**
   * Every secret replaced by ***, leftmost first, the longest where several start at one place. Linear in the text,
   * whatever the number of secrets (a run meets thousands: every user's password, every ticket).
   */
  redact(text: string): string {
    const n = text.length
    if (this.secrets.size === 0 || n < 4) return text
    const starts = this.starts
    // Scanned as bytes, one per UTF-16 unit (its low byte): a typed array reads the same whatever the string's inner
    // form (V8's sliced, cons and two-byte strings made charCodeAt four times slower here). A collision only costs a look.
    const b = Buffer.from(text, 'latin1')
    let out = ''
    let done = 0
    let i = 0
    // The hash of the four units at i, rolled along one unit at a time (hashAt's arithmetic, modulo 2^32).
    let h = hashAt(b, 0)
    for (;;) {
      if (starts[h & 0xffff] === 1) {
        const hit = this.secretAt(text, i)
        if (hit) {
          out += `${text.slice(done, i)}***`
          i += hit.length
          done = i
          if (i + 4 > n) break
          h = hashAt(b, i)
          continue
        }
      }
      if (i + 4 >= n) break
      h = (Math.imul(h - Math.imul(b[i]!, 29791), 31) + b[i + 4]!) | 0
      i++
    }
    return done === 0 ? text : out + text.slice(done)
  }

  /** The longest secret that starts at `i`, if any. */
  private secretAt(text: string, i: number): string | undefined {
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

/** A hash of the four bytes at `i` (int32; the bitmap uses its low 16 bits). */
function hashAt(b: Uint8Array, i: number): number {
  return (Math.imul(b[i]!, 29791) + Math.imul(b[i + 1]!, 961) + Math.imul(b[i + 2]!, 31) + b[i + 3]!) | 0
}

/** hashAt of the first four units of `s`, each as its low byte (what redact's latin1 view of a text holds). */
function hashOfStart(s: string): number {
  return (Math.imul(s.charCodeAt(0) & 0xff, 29791) + Math.imul(s.charCodeAt(1) & 0xff, 961) + Math.imul(s.charCodeAt(2) & 0xff, 31) + (s.charCodeAt(3) & 0xff)) | 0
}

/** encodeURIComponent, or what URLs carry of a lone surrogate (which encodeURIComponent refuses). */
function uriEncoded(s: string): string {
  try {
    return encodeURIComponent(s)
  } catch {
    return encodeURIComponent(s.toWellFormed())
  }
}

/** application/x-www-form-urlencoded, as URLSearchParams writes it: encodeURIComponent, plus !'()~, spaces as +. */
function formEncoded(s: string): string {
  return uriEncoded(s).replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+')
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
}

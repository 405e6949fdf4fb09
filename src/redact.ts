/**
 * Secrets (configured credentials and every token met at run time) are replaced by *** in every
 * output. A secret is also caught in the encoded forms it travels in (URL and XML escaping).
 */
export class Redactor {
  private readonly secrets = new Set<string>()
  /** Secrets by their first four characters, longest first (the longest secret at a position wins). */
  private readonly byPrefix = new Map<string, string[]>()
  /** One bit per hash of four characters that begins some secret: most positions of a text are passed over at one lookup. */
  private readonly starts = new Uint8Array(1 << 16)

  add(secret: string | undefined): void {
    if (!secret || secret.length < 4) return
    for (const form of [secret, encodeURIComponent(secret), escapeXml(secret), new URLSearchParams({ s: secret }).toString().slice(2)]) {
      if (this.secrets.has(form)) continue
      this.secrets.add(form)
      const key = form.slice(0, 4)
      const list = this.byPrefix.get(key) ?? []
      const at = list.findIndex((s) => s.length < form.length)
      list.splice(at < 0 ? list.length : at, 0, form)
      this.byPrefix.set(key, list)
      this.starts[hash4(form, 0)] = 1
    }
  }

  /**
   * Every secret replaced by ***, leftmost first, the longest where several start at one place. Linear in the text,
   * whatever the number of secrets (a run meets thousands: every user's password, every ticket).
   */
  redact(text: string): string {
    if (this.secrets.size === 0) return text
    let out = ''
    let done = 0
    for (let i = 0; i + 4 <= text.length;) {
      if (this.starts[hash4(text, i)]) {
        const list = this.byPrefix.get(text.slice(i, i + 4))
        const hit = list?.find((s) => text.startsWith(s, i))
        if (hit) {
          out += `${text.slice(done, i)}***`
          i += hit.length
          done = i
          continue
        }
      }
      i++
    }
    return done === 0 ? text : out + text.slice(done)
  }

  /** Deep-redacts strings in a JSON-like value. */
  redactValue<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v)) as T
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.redactValue(v)])) as T
    }
    return value
  }
}

function hash4(s: string, i: number): number {
  return (s.charCodeAt(i) * 29791 + s.charCodeAt(i + 1) * 961 + s.charCodeAt(i + 2) * 31 + s.charCodeAt(i + 3)) & 0xffff
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
}

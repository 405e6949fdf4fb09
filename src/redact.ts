/**
 * Secrets (configured credentials and every token met at run time) are replaced by *** in every
 * output. A secret is also caught in the encoded forms it travels in (URL and XML escaping).
 */
export class Redactor {
  private readonly secrets = new Set<string>()
  private pattern: RegExp | undefined

  add(secret: string | undefined): void {
    if (!secret || secret.length < 4) return
    for (const form of [secret, encodeURIComponent(secret), escapeXml(secret), new URLSearchParams({ s: secret }).toString().slice(2)]) {
      if (!this.secrets.has(form)) {
        this.secrets.add(form)
        this.pattern = undefined
      }
    }
  }

  redact(text: string): string {
    if (this.secrets.size === 0) return text
    this.pattern ??= new RegExp([...this.secrets].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g')
    return text.replace(this.pattern, '***')
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

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
}

/**
 * Reads a control route's JSON body of string fields: an object, no unknown keys (the message lists the allowed
 * ones), the required keys present and every given key a string.
 */
export type StringFields = { readonly ok: true; text(key: string, fallback?: string): string } | { readonly ok: false; readonly message: string }

export function readStringFields(body: unknown, required: readonly string[], optional: readonly string[]): StringFields {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, message: 'expected a JSON object' }
  const record = body as Record<string, unknown>
  const allowed = [...required, ...optional]
  const unknown = Object.keys(record).filter((key) => !allowed.includes(key))
  if (unknown.length > 0) return { ok: false, message: `unknown fields: ${unknown.join(', ')}; allowed: ${allowed.join(', ')}` }
  for (const key of allowed) {
    const value = record[key]
    if (value === undefined && !required.includes(key)) continue
    if (typeof value !== 'string') return { ok: false, message: `${key} must be a string` }
  }
  return { ok: true, text: (key, fallback = '') => (typeof record[key] === 'string' ? record[key] : fallback) }
}

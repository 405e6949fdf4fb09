/** Content-Type helpers (ASP.NET's ContentType.GetBase / GetAction). */

/** The media type without parameters, lower-cased: `text/xml; charset=utf-8` → `text/xml`. */
export function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase()
}

/** A Content-Type parameter (`action` of SOAP 1.2), unquoted; undefined when absent. */
export function contentTypeParam(contentType: string, name: string): string | undefined {
  for (const part of contentType.split(';').slice(1)) {
    const eq = part.indexOf('=')
    if (eq < 0 || part.slice(0, eq).trim().toLowerCase() !== name) continue
    const value = part.slice(eq + 1).trim()
    return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value
  }
  return undefined
}

/**
 * ContentType.GetCharset: the first parameter whose name starts with `charset`, its value trimmed of spaces, tabs
 * and quotes; undefined when absent or empty.
 */
export function charsetParam(contentType: string): string | undefined {
  for (const part of contentType.split(';').slice(1)) {
    const decl = part.trimStart()
    if (decl.slice(0, 7).toLowerCase() !== 'charset') continue
    const eq = decl.indexOf('=', 7)
    if (eq < 0) continue
    const value = decl.slice(eq + 1).replace(/^[ '"\t]+|[ '"\t]+$/g, '')
    return value === '' ? undefined : value
  }
  return undefined
}

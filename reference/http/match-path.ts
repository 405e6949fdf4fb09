/**
 * Matches a raw (still encoded) path against a pattern such as `/v2/users/:id`; `:name` captures one
 * non-empty segment (decoded). Undefined when it does not match.
 */
export function matchPath(pattern: string, rawPath: string, opts: { caseInsensitive?: boolean } = {}): Record<string, string> | undefined {
  const want = pattern.split('/')
  const got = rawPath.split('/')
  if (want.length !== got.length) return undefined
  const same = opts.caseInsensitive ? (a: string, b: string) => a.toLowerCase() === b.toLowerCase() : (a: string, b: string) => a === b
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    const w = want[i] ?? ''
    const g = got[i] ?? ''
    if (w.startsWith(':')) {
      if (g === '') return undefined
      try {
        params[w.slice(1)] = decodeURIComponent(g)
      } catch {
        return undefined
      }
    } else if (!same(w, g)) return undefined
  }
  return params
}

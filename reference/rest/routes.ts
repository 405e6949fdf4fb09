/** Route matching for REST mounts: literal segments case-insensitively (as ASP.NET Core), `:name` captures one segment. */
import type { RestRoute } from './types.ts'

export function matchRoute(pattern: string, rawPath: string): Record<string, string> | undefined {
  const want = pattern.split('/')
  const got = rawPath.split('/')
  if (want.length !== got.length) return undefined
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
    } else if (w.toLowerCase() !== g.toLowerCase()) return undefined
  }
  return params
}

export type Routed =
  | { readonly kind: 'route'; readonly route: RestRoute; readonly params: Record<string, string> }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] }

export function routeRequest(routes: readonly RestRoute[], method: string, rawPath: string): Routed {
  const matching = routes.flatMap((route) => {
    const params = matchRoute(route.pattern, rawPath)
    return params === undefined ? [] : [{ route, params }]
  })
  if (matching.length === 0) return { kind: 'not-found' }
  const hit = matching.find((m) => m.route.method === method)
  if (hit === undefined) return { kind: 'method-not-allowed', allow: [...new Set(matching.map((m) => m.route.method))] }
  return { kind: 'route', ...hit }
}

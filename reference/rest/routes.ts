/** Route matching for REST mounts: literal segments case-insensitively (as ASP.NET Core), `:name` captures one segment. */
import { matchPath } from '../http/match-path.ts'
import type { RestRoute } from './types.ts'

export type Routed =
  | { readonly kind: 'route'; readonly route: RestRoute; readonly params: Record<string, string> }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] }

export function routeRequest(routes: readonly RestRoute[], method: string, rawPath: string): Routed {
  const matching = routes.flatMap((route) => {
    const params = matchPath(route.pattern, rawPath, { caseInsensitive: true })
    return params === undefined ? [] : [{ route, params }]
  })
  if (matching.length === 0) return { kind: 'not-found' }
  const hit = matching.find((m) => m.route.method === method)
  if (hit === undefined) return { kind: 'method-not-allowed', allow: [...new Set(matching.map((m) => m.route.method))] }
  return { kind: 'route', ...hit }
}

/**
 * Routes of the provisioning control endpoint (`/__reference/…`). Not a vendor API: JSON in and out,
 * guarded by the control key, never touched by deviations. Each API module contributes its own routes.
 */
import type { HttpAnswer } from '../http/types.ts'

export interface ControlRequest {
  /** Path parameters by name, percent-decoded (`:userName` in the pattern). */
  readonly params: Readonly<Record<string, string>>
  /** The parsed JSON body (undefined when the body is empty). */
  readonly body: unknown
  /** A request header, by name (case-insensitive). */
  header(name: string): string | undefined
}

export interface ControlRoute {
  readonly method: 'GET' | 'POST' | 'DELETE'
  /** e.g. `/__reference/inforouter/users/:userName` */
  readonly pattern: string
  handle(request: ControlRequest): HttpAnswer
}

export function json(status: number, value: unknown): HttpAnswer {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) }
}

export const noContent: HttpAnswer = { status: 204, body: '' }

export function badRequest(message: string): HttpAnswer {
  return json(400, { error: 'bad request', message })
}

/**
 * `POST <collection>/removal {users: [name, …]}` → 200 {removed, missing}: many users removed in one request (a run
 * removes the users it provisioned when it ends, not one request per user while its checks run).
 */
export function removalRoute(collection: string, remove: (name: string) => boolean): ControlRoute {
  return {
    method: 'POST',
    pattern: `${collection}/removal`,
    handle: ({ body }) => {
      const names = (body as { users?: unknown } | undefined)?.users
      if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) return badRequest('the body must be {"users": [name, …]}')
      const missing = names.filter((n) => !remove(n))
      return json(200, { removed: names.length - missing.length, missing })
    },
  }
}

/**
 * The users of an embedded API's store, through the control endpoint:
 *   GET /__reference/<api>/users → 200 {api, users: [{login, id, role, placement, origin}, …]}   (by id)
 * Faces of one store (ECGridOS, its live profile, ECGrid REST) list the same users. A listed user is built from
 * these fields alone, so no password or API key can reach the answer. The API's provisioning routes are wrapped to
 * record where each user came from (origins.ts).
 */
import { json, badRequest, type ControlRoute } from './routes.ts'
import { ORIGIN_HEADER, originAsked, type Origin, type OriginBook } from './origins.ts'

/** A user as the listing shows it: what names it, its role and where it sits (network and mailbox, organisation). */
export interface StoredUser {
  readonly login: string
  readonly id: string
  readonly role: string
  /** `{}` for a store without placements. */
  readonly placement: Readonly<Record<string, string>>
}

export interface ListedUser extends StoredUser {
  readonly origin: Origin
}

/** One store's users; `backend` names the store (faces of one store share it). */
export interface UserStore {
  readonly backend: string
  users(): readonly StoredUser[]
}

/** The listing itself, pure: each stored user with its recorded origin (`api` when none was recorded). */
export function listUsers(users: readonly StoredUser[], origins: ReadonlyMap<string, Origin>): ListedUser[] {
  return users.map(({ login, id, role, placement }) => ({ login, id, role, placement: { ...placement }, origin: origins.get(id) ?? 'api' }))
}

function userIdOf(body: string | Uint8Array): string | undefined {
  try {
    const value = (JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body)) as { userId?: unknown }).userId
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
  } catch {
    return undefined
  }
}

/**
 * The API's provisioning routes, recording origins (a created user's, from `x-reference-origin`; a removal forgets
 * the users that are gone), and the GET listing.
 */
export function usersRoutes(api: string, store: UserStore, book: OriginBook, provisioning: readonly ControlRoute[]): ControlRoute[] {
  const collection = `/__reference/${api}/users`
  const removes = (route: ControlRoute): boolean =>
    (route.method === 'DELETE' && route.pattern.startsWith(`${collection}/`)) || (route.method === 'POST' && route.pattern === `${collection}/removal`)
  const wrapped = provisioning.map((route): ControlRoute => {
    if (route.method === 'POST' && route.pattern === collection) {
      return {
        ...route,
        handle: (request) => {
          const origin = originAsked(request.header(ORIGIN_HEADER))
          if (origin === undefined) return badRequest(`${ORIGIN_HEADER} must be "seeded" or "provisioned" (or left out: provisioned)`)
          const answer = route.handle(request)
          const id = answer.status === 201 ? userIdOf(answer.body) : undefined
          if (id !== undefined) book.record(store.backend, id, origin)
          return answer
        },
      }
    }
    if (removes(route)) {
      return {
        ...route,
        handle: (request) => {
          const answer = route.handle(request)
          if (answer.status < 300)
            book.keepOnly(
              store.backend,
              store.users().map((u) => u.id),
            )
          return answer
        },
      }
    }
    return route
  })
  const list: ControlRoute = {
    method: 'GET',
    pattern: collection,
    handle: () => json(200, { api, users: listUsers(store.users(), book.of(store.backend)) }),
  }
  return [...wrapped, list]
}

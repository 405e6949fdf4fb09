/**
 * Provisioning of infoRouter fixture users:
 *   POST   /__reference/inforouter/users            {userName, password, role, firstName, lastName, email, mobileNumber}
 *   DELETE /__reference/inforouter/users/:userName
 *   POST   /__reference/inforouter/users/removal   {users: [userName, …]}
 *   POST   /__reference/inforouter/sessions/expiry {ticket} → 204 (the ticket is now expired), 404 unknown ticket
 */
import { readStringFields } from '../control/string-fields.ts'
import type { Clock } from '../clock.ts'
import { badRequest, json, noContent, removalRoute, type ControlRoute } from '../control/routes.ts'
import type { SessionService } from './sessions.ts'
import type { NewUser, Role, UserRepository } from './users.ts'

const REQUIRED = ['userName', 'password', 'role'] as const
const OPTIONAL = ['firstName', 'lastName', 'email', 'mobileNumber'] as const

type Parsed = { readonly ok: true; readonly user: NewUser } | { readonly ok: false; readonly message: string }

export function parseNewUser(body: unknown): Parsed {
  const fields = readStringFields(body, REQUIRED, OPTIONAL)
  if (!fields.ok) return fields
  const text = (key: string): string => fields.text(key)
  if (text('userName') === '') return { ok: false, message: 'userName must not be empty' }
  const role = text('role')
  if (role !== 'member' && role !== 'sysadmin') return { ok: false, message: 'role must be "member" or "sysadmin"' }
  return {
    ok: true,
    user: {
      userName: text('userName'),
      password: text('password'),
      role: role satisfies Role,
      firstName: text('firstName'),
      lastName: text('lastName'),
      email: text('email'),
      mobileNumber: text('mobileNumber'),
    },
  }
}

export function infoRouterControlRoutes(users: UserRepository, clock: Clock, sessions: SessionService): ControlRoute[] {
  return [
    {
      method: 'POST',
      pattern: '/__reference/inforouter/sessions/expiry',
      handle: ({ body }) => {
        const ticket = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).ticket : undefined
        if (typeof ticket !== 'string') return badRequest('expected {"ticket": "<ticket>"}')
        return sessions.expire(ticket) ? noContent : json(404, { error: 'not found' })
      },
    },
    {
      method: 'POST',
      pattern: '/__reference/inforouter/users',
      handle: ({ body }) => {
        const parsed = parseNewUser(body)
        if (!parsed.ok) return badRequest(parsed.message)
        const created = users.create(parsed.user, clock.now())
        return created.ok ? json(201, { userId: created.id }) : json(409, { error: 'conflict', message: 'the user name exists' })
      },
    },
    {
      method: 'DELETE',
      pattern: '/__reference/inforouter/users/:userName',
      handle: ({ params }) => (users.remove(params.userName ?? '') ? noContent : json(404, { error: 'not found' })),
    },
    removalRoute('/__reference/inforouter/users', (name) => users.remove(name)),
  ]
}

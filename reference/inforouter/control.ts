/**
 * Provisioning of infoRouter fixture users:
 *   POST   /__reference/inforouter/users            {userName, password, role, firstName, lastName, email, mobileNumber}
 *   DELETE /__reference/inforouter/users/:userName
 */
import type { Clock } from '../clock.ts'
import { badRequest, json, noContent, type ControlRoute } from '../control/routes.ts'
import type { NewUser, Role, UserRepository } from './users.ts'

const REQUIRED = ['userName', 'password', 'role'] as const
const OPTIONAL = ['firstName', 'lastName', 'email', 'mobileNumber'] as const
const KNOWN = new Set<string>([...REQUIRED, ...OPTIONAL])

type Parsed = { readonly ok: true; readonly user: NewUser } | { readonly ok: false; readonly message: string }

export function parseNewUser(body: unknown): Parsed {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, message: 'expected a JSON object' }
  const record = body as Record<string, unknown>
  const unknown = Object.keys(record).filter((key) => !KNOWN.has(key))
  if (unknown.length > 0) return { ok: false, message: `unknown fields: ${unknown.join(', ')}` }
  for (const key of [...REQUIRED, ...OPTIONAL]) {
    const value = record[key]
    const required = (REQUIRED as readonly string[]).includes(key)
    if (value === undefined && !required) continue
    if (typeof value !== 'string') return { ok: false, message: `${key} must be a string` }
  }
  const text = (key: string): string => (typeof record[key] === 'string' ? record[key] : '')
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

export function infoRouterControlRoutes(users: UserRepository, clock: Clock): ControlRoute[] {
  return [
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
  ]
}

/**
 * Provisioning of ECGrid fixture users, mounted once per face (`ecgridos`, `ecgrid-rest`) over the same store:
 *   POST   /__reference/<face>/users         {login, password, role, group, firstName?, lastName?, email?, status?, placement?}
 *          → 201 {userId, apiKey, networkId, mailboxId} (all strings: the suite merges them into user attributes)
 *   DELETE /__reference/<face>/users/:login  → 204 (the user's sessions end with it)
 *   POST   /__reference/<face>/users/removal {users: [login, …]} → 200 {removed, missing}
 */
import { readStringFields } from '../control/string-fields.ts'
import type { Clock } from '../clock.ts'
import { badRequest, json, noContent, removalRoute, type ControlRoute } from '../control/routes.ts'
import { STATUSES, USER_AUTH_LEVELS, type AuthLevel, type Status } from './enums.ts'
import type { EcgridStore } from './index.ts'
import { PLACEMENTS, type Placement } from './placement.ts'

export interface NewFixtureUser {
  readonly login: string
  readonly password: string
  readonly firstName: string
  readonly lastName: string
  readonly email: string
  readonly role: AuthLevel
  readonly status: Status
  readonly group: string
  readonly placement: Placement
}

export const REQUIRED = ['login', 'password', 'role', 'group'] as const
export const OPTIONAL = ['firstName', 'lastName', 'email', 'status', 'placement'] as const

type Parsed = { readonly ok: true; readonly user: NewFixtureUser } | { readonly ok: false; readonly message: string }

const fail = (message: string): Parsed => ({ ok: false, message })

function oneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
  return (allowed as readonly string[]).includes(value)
}

export function parseNewFixtureUser(body: unknown): Parsed {
  const fields = readStringFields(body, REQUIRED, OPTIONAL)
  if (!fields.ok) return fail(fields.message)
  const text = fields.text
  const login = text('login')
  const group = text('group')
  const [role, status, placement] = [text('role'), text('status', 'Active'), text('placement', 'same')]
  if (login === '') return fail('login must not be empty')
  if (group === '') return fail('group must not be empty')
  if (!oneOf(role, USER_AUTH_LEVELS)) return fail(`role must be one of ${USER_AUTH_LEVELS.join(', ')}`)
  if (!oneOf(status, STATUSES)) return fail(`status must be one of ${STATUSES.join(', ')}`)
  if (!oneOf(placement, PLACEMENTS)) return fail(`placement must be one of ${PLACEMENTS.join(', ')}`)
  return {
    ok: true,
    user: {
      login,
      password: text('password'),
      firstName: text('firstName'),
      lastName: text('lastName'),
      email: text('email'),
      role,
      status,
      group,
      placement,
    },
  }
}

/** How long before provisioning a fixture user counts as created. */
const PROVISIONED_AGE_MS = 30 * 24 * 3600 * 1000

export function ecgridControlRoutes(face: string, store: EcgridStore, clock: Clock): ControlRoute[] {
  const create = (user: NewFixtureUser) =>
    store.unitOfWork(() => {
      if (store.users.findByLogin(user.login) !== undefined) return undefined
      const { networkId, mailboxId } = store.placements.place(user.group, user.placement)
      const { login, password, firstName, lastName, email, role, status } = user
      // Fixture users exist since before the check (as real accounts do), so a change to Created is visible.
      const created = store.users.create(
        { login, password, firstName, lastName, email, authLevel: role, status, networkId, mailboxId },
        new Date(clock.now().getTime() - PROVISIONED_AGE_MS),
      )
      return created.ok ? created.user : undefined
    })
  return [
    {
      method: 'POST',
      pattern: `/__reference/${face}/users`,
      handle: ({ body }) => {
        const parsed = parseNewFixtureUser(body)
        if (!parsed.ok) return badRequest(parsed.message)
        const user = create(parsed.user)
        if (user === undefined) return json(409, { error: 'conflict', message: 'the login exists' })
        return json(201, {
          userId: String(user.id),
          apiKey: user.apiKey,
          networkId: String(user.networkId),
          mailboxId: String(user.mailboxId),
        })
      },
    },
    {
      method: 'DELETE',
      pattern: `/__reference/${face}/users/:login`,
      handle: ({ params }) => (store.users.remove(params.login ?? '') ? noContent : json(404, { error: 'not found' })),
    },
    removalRoute(`/__reference/${face}/users`, (login) => store.users.remove(login)),
  ]
}

/**
 * Provisioning of LogicMelon fixture users:
 *   POST   /__reference/logicmelon/users  {username, password, role, group, placement?, userIdentifier?, <CUser string field in camelCase>?}
 *          → 201 {userId, organisationId, organisationIdentifier, userIdentifier, apiKey} (all strings)
 *   DELETE /__reference/logicmelon/users/:username  → 204, 404 unknown
 *   POST   /__reference/logicmelon/users/removal  {users: [username, …]} → 200 {removed, missing}
 */
import { readStringFields } from '../control/string-fields.ts'
import { badRequest, json, noContent, removalRoute, type ControlRoute } from '../control/routes.ts'
import { ROLE_ADMINISTRATOR, ROLE_RECRUITER, UPDATEABLE_TEXT_FIELDS, type UpdateableTextField } from './cuser.ts'
import { PLACEMENTS, type Placement } from './placement.ts'
import type { LogicMelonStore } from './store.ts'
import { newUserIdentifier, newUserIn, type NewLmUser } from './users.ts'

export const ROLES = { Administrator: ROLE_ADMINISTRATOR, Recruiter: ROLE_RECRUITER } as const

export type RoleName = keyof typeof ROLES

export interface NewFixtureUser {
  readonly username: string
  readonly password: string
  readonly role: RoleName
  readonly group: string
  readonly placement: Placement
  /** "" when not given: one is generated. */
  readonly userIdentifier: string
  readonly profile: Readonly<Record<UpdateableTextField, string>>
}

/** `firstName` for `FirstName`, `userCultureID` for `UserCultureID`. */
const camel = (field: string): string => `${field.charAt(0).toLowerCase()}${field.slice(1)}`

const PROFILE_KEYS: ReadonlyArray<readonly [string, UpdateableTextField]> = UPDATEABLE_TEXT_FIELDS.map((f) => [camel(f), f] as const)
const REQUIRED = ['username', 'password', 'role', 'group'] as const
const OPTIONAL = ['placement', 'userIdentifier', ...PROFILE_KEYS.map(([key]) => key)]

type Parsed = { readonly ok: true; readonly user: NewFixtureUser } | { readonly ok: false; readonly message: string }

const fail = (message: string): Parsed => ({ ok: false, message })

const isRole = (value: string): value is RoleName => Object.hasOwn(ROLES, value)
const isPlacement = (value: string): value is Placement => (PLACEMENTS as readonly string[]).includes(value)

export function parseNewFixtureUser(body: unknown): Parsed {
  const fields = readStringFields(body, REQUIRED, OPTIONAL)
  if (!fields.ok) return fail(fields.message)
  const text = fields.text
  const [username, group, role, placement] = [text('username'), text('group'), text('role'), text('placement', 'same')]
  if (username === '') return fail('username must not be empty')
  if (group === '') return fail('group must not be empty')
  if (!isRole(role)) return fail(`role must be one of ${Object.keys(ROLES).join(', ')}`)
  if (!isPlacement(placement)) return fail(`placement must be one of ${PLACEMENTS.join(', ')}`)
  const profile = Object.fromEntries(PROFILE_KEYS.map(([key, field]) => [field, text(key)])) as Record<UpdateableTextField, string>
  return { ok: true, user: { username, password: text('password'), role, group, placement, userIdentifier: text('userIdentifier'), profile } }
}

function storedUser(user: NewFixtureUser, organisationId: number): NewLmUser {
  return newUserIn(organisationId, {
    ...user.profile,
    UserIdentifier: user.userIdentifier === '' ? newUserIdentifier() : user.userIdentifier,
    Username: user.username,
    Password: user.password,
    UserRoleID: ROLES[user.role],
  })
}

export function logicMelonControlRoutes(store: LogicMelonStore): ControlRoute[] {
  const create = (user: NewFixtureUser) =>
    store.unitOfWork(() => {
      if (store.users.findByUsername(user.username) !== undefined) return undefined
      const organisationId = store.placements.place(user.group, user.placement)
      const created = store.users.create(storedUser(user, organisationId))
      const organisation = store.organisations.findById(organisationId)
      const topLevel = store.organisations.topLevelOf(organisationId)
      return created.ok && organisation && topLevel ? { user: created.user, organisation, apiKey: topLevel.apiKey ?? '' } : undefined
    })
  const remove = (username: string) =>
    store.unitOfWork(() => {
      const user = store.users.findByUsername(username)
      return user !== undefined && store.users.remove(user.UserID)
    })
  return [
    {
      method: 'POST',
      pattern: '/__reference/logicmelon/users',
      handle: ({ body }) => {
        const parsed = parseNewFixtureUser(body)
        if (!parsed.ok) return badRequest(parsed.message)
        const made = create(parsed.user)
        if (made === undefined) return json(409, { error: 'conflict', message: 'the username exists' })
        return json(201, {
          userId: String(made.user.UserID),
          organisationId: String(made.organisation.id),
          organisationIdentifier: made.organisation.identifier,
          userIdentifier: made.user.UserIdentifier,
          apiKey: made.apiKey,
        })
      },
    },
    {
      method: 'DELETE',
      pattern: '/__reference/logicmelon/users/:username',
      handle: ({ params }) => (remove(params.username ?? '') ? noContent : json(404, { error: 'not found' })),
    },
    removalRoute('/__reference/logicmelon/users', remove),
  ]
}

/** LogicMelon users in SQLite (parameterised SQL only; column names come from the CUser field list). Usernames are unique case-insensitively. */
import { randomBytes } from 'node:crypto'
import type { DatabaseSync, SQLInputValue, SQLOutputValue } from 'node:sqlite'
import { BLANK_USER, CUSER_FIELDS, FLAG_FIELDS, INT_FIELDS, ROLE_RECRUITER, type CUserField, type LmUser } from './cuser.ts'

/** What a new user is given; the store assigns UserID. */
export type NewLmUser = Omit<LmUser, 'UserID'>

/** Fields to set; a field left out keeps its value. */
export type UserChange = Partial<NewLmUser>

/** A new user of an organisation: `fields` over the defaults (strings "", flags false, a Recruiter). */
export function newUserIn(organisationId: number, fields: UserChange): NewLmUser {
  const { UserID: _id, ...blank } = BLANK_USER
  return { ...blank, UserRoleID: ROLE_RECRUITER, ...fields, OrganisationID: organisationId }
}

export interface LmUserRepository {
  /** Not ok when the username is taken. */
  create(user: NewLmUser): { readonly ok: true; readonly user: LmUser } | { readonly ok: false }
  findById(id: number): LmUser | undefined
  findByUsername(username: string): LmUser | undefined
  /** Every user, by UserID (the control endpoint's listing). */
  list(): LmUser[]
  /** The users of these organisations, by UserID. */
  listIn(organisationIds: readonly number[]): LmUser[]
  /** The users whose UserIdentifier is this one, ignoring case, by UserID. */
  findByIdentifier(identifier: string): LmUser[]
  /** Applies the change in one statement and answers the user as saved (undefined when unknown). */
  update(id: number, change: UserChange): LmUser | undefined
  remove(id: number): boolean
}

export const usernameKey = (username: string): string => username.toLowerCase()

/** A UserIdentifier for a user given none: never all digits, so it cannot read as a UserID. */
export const newUserIdentifier = (): string => `usr-${randomBytes(4).toString('hex')}`

type StoredField = keyof NewLmUser

const STORED_FIELDS: readonly StoredField[] = CUSER_FIELDS.map(([field]) => field).filter((field): field is StoredField => field !== 'UserID')

const isFlag = (field: CUserField): boolean => (FLAG_FIELDS as readonly string[]).includes(field)
const isInt = (field: CUserField): boolean => (INT_FIELDS as readonly string[]).includes(field)

function toUser(row: Record<string, SQLOutputValue>): LmUser {
  const value = (field: CUserField): string | number | boolean => {
    const raw = row[field]
    if (isFlag(field)) return Number(raw) === 1
    return isInt(field) ? Number(raw) : String(raw ?? '')
  }
  return Object.fromEntries(CUSER_FIELDS.map(([field]) => [field, value(field)])) as LmUser
}

const column = (value: string | number | boolean | undefined): SQLInputValue =>
  value === undefined ? null : typeof value === 'boolean' ? (value ? 1 : 0) : value

export function createLmUserRepository(db: DatabaseSync): LmUserRepository {
  const insert = db.prepare(
    `INSERT INTO lm_users (${STORED_FIELDS.join(', ')}, UsernameKey, IdentifierKey) VALUES (${STORED_FIELDS.map(() => '?').join(', ')}, ?, ?)
     ON CONFLICT (UsernameKey) DO NOTHING`,
  )
  const byId = db.prepare('SELECT * FROM lm_users WHERE UserID = ?')
  const everyUser = db.prepare('SELECT * FROM lm_users ORDER BY UserID')
  const byUsername = db.prepare('SELECT * FROM lm_users WHERE UsernameKey = ?')
  const inOrganisations = db.prepare('SELECT * FROM lm_users WHERE OrganisationID IN (SELECT value FROM json_each(?)) ORDER BY UserID')
  const byIdentifier = db.prepare('SELECT * FROM lm_users WHERE IdentifierKey = ? ORDER BY UserID')
  const updateRow = db.prepare(
    `UPDATE lm_users SET ${STORED_FIELDS.map((f) => `${f} = COALESCE(?, ${f})`).join(', ')}, UsernameKey = COALESCE(?, UsernameKey),
     IdentifierKey = COALESCE(?, IdentifierKey)
     WHERE UserID = ?`,
  )
  const removeById = db.prepare('DELETE FROM lm_users WHERE UserID = ?')

  const findById = (id: number): LmUser | undefined => {
    const row = byId.get(id)
    return row ? toUser(row) : undefined
  }

  return {
    create(user) {
      const result = insert.run(...STORED_FIELDS.map((f) => column(user[f])), usernameKey(user.Username), user.UserIdentifier.toLowerCase())
      const created = result.changes === 1 ? findById(Number(result.lastInsertRowid)) : undefined
      return created ? { ok: true, user: created } : { ok: false }
    },
    findById,
    findByUsername(username) {
      const row = byUsername.get(usernameKey(username))
      return row ? toUser(row) : undefined
    },
    list() {
      return everyUser.all().map(toUser)
    },
    listIn(organisationIds) {
      return inOrganisations.all(JSON.stringify(organisationIds)).map(toUser)
    },
    findByIdentifier(identifier) {
      return byIdentifier.all(identifier.toLowerCase()).map(toUser)
    },
    update(id, change) {
      const key = change.Username === undefined ? null : usernameKey(change.Username)
      const identifierKey = typeof change.UserIdentifier === 'string' ? change.UserIdentifier.toLowerCase() : null
      updateRow.run(...STORED_FIELDS.map((f) => column(change[f])), key, identifierKey, id)
      return findById(id)
    },
    remove(id) {
      return removeById.run(id).changes > 0
    },
  }
}

/** The user as it would be after `change`, without saving it. */
export function applyChange(user: LmUser, change: UserChange): LmUser {
  const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined))
  return { ...user, ...defined }
}

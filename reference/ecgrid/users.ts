/** ECGrid users in SQLite (parameterised SQL only). Logins are unique case-insensitively; API keys are unique. */
import { randomBytes } from 'node:crypto'
import type { DatabaseSync, SQLOutputValue } from 'node:sqlite'
import { isAuthLevel, isStatus, type AuthLevel, type Status } from './enums.ts'

export interface EcUser {
  readonly id: number
  readonly login: string
  readonly password: string
  readonly firstName: string
  readonly lastName: string
  readonly email: string
  readonly networkId: number
  readonly mailboxId: number
  readonly authLevel: AuthLevel
  readonly status: Status
  /** The creation instant, UTC, second precision: `2024-01-15T09:30:00Z`. */
  readonly created: string
  /** The REST credential (X-API-Key): 32 random hex characters. */
  readonly apiKey: string
}

/** What a new user is given; the store assigns the id, the API key and (from the clock) `created`. */
export type NewEcUser = Omit<EcUser, 'id' | 'created' | 'apiKey'>

/** Fields to set; a field left out keeps its value. */
export interface UserChange {
  readonly firstName?: string
  readonly lastName?: string
  readonly email?: string
  readonly login?: string
  readonly authLevel?: AuthLevel
  readonly status?: Status
  readonly networkId?: number
  readonly mailboxId?: number
  readonly created?: Date
}

export interface EcUserRepository {
  create(user: NewEcUser, now: Date): { readonly ok: true; readonly user: EcUser } | { readonly ok: false }
  findById(id: number): EcUser | undefined
  findByLogin(login: string): EcUser | undefined
  findByApiKey(apiKey: string): EcUser | undefined
  /** Every user, in id order (the control endpoint's listing). */
  list(): EcUser[]
  /** Applies the change in one statement and answers the user as saved (undefined when unknown). */
  update(id: number, change: UserChange): EcUser | undefined
  /** Deletes the user (and, by cascade, their sessions); false when unknown. */
  remove(login: string): boolean
}

export const loginKey = (login: string): string => login.toLowerCase()

/** `2024-01-15T09:30:00Z`: an instant at second precision, as the store keeps `created`. */
export const isoSeconds = (date: Date): string => `${date.toISOString().slice(0, 19)}Z`

const str = (v: SQLOutputValue | undefined): string => (typeof v === 'string' ? v : String(v ?? ''))

function toUser(row: Record<string, SQLOutputValue>): EcUser {
  const authLevel = row.auth_level
  const status = row.status
  return {
    id: Number(row.user_id),
    login: str(row.login),
    password: str(row.password),
    firstName: str(row.first_name),
    lastName: str(row.last_name),
    email: str(row.email),
    networkId: Number(row.network_id),
    mailboxId: Number(row.mailbox_id),
    authLevel: isAuthLevel(authLevel) ? authLevel : 'General',
    status: isStatus(status) ? status : 'Development',
    created: str(row.created),
    apiKey: str(row.api_key),
  }
}

export function createEcUserRepository(db: DatabaseSync): EcUserRepository {
  const insert = db.prepare(
    `INSERT INTO ec_users (login, login_key, password, first_name, last_name, email, network_id, mailbox_id, auth_level, status, created, api_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (login_key) DO NOTHING`,
  )
  const byId = db.prepare('SELECT * FROM ec_users WHERE user_id = ?')
  const byLogin = db.prepare('SELECT * FROM ec_users WHERE login_key = ?')
  const byApiKey = db.prepare('SELECT * FROM ec_users WHERE api_key = ?')
  const everyUser = db.prepare('SELECT * FROM ec_users ORDER BY user_id')
  const removeByLogin = db.prepare('DELETE FROM ec_users WHERE login_key = ?')
  const updateRow = db.prepare(
    `UPDATE ec_users SET
       first_name = COALESCE(?, first_name), last_name = COALESCE(?, last_name), email = COALESCE(?, email),
       login = COALESCE(?, login), login_key = COALESCE(?, login_key), auth_level = COALESCE(?, auth_level),
       status = COALESCE(?, status), network_id = COALESCE(?, network_id), mailbox_id = COALESCE(?, mailbox_id),
       created = COALESCE(?, created)
     WHERE user_id = ?`,
  )

  const findById = (id: number): EcUser | undefined => {
    const row = byId.get(id)
    return row ? toUser(row) : undefined
  }

  return {
    create(user, now) {
      const result = insert.run(
        user.login,
        loginKey(user.login),
        user.password,
        user.firstName,
        user.lastName,
        user.email,
        user.networkId,
        user.mailboxId,
        user.authLevel,
        user.status,
        isoSeconds(now),
        randomBytes(16).toString('hex'),
      )
      const created = result.changes === 1 ? findById(Number(result.lastInsertRowid)) : undefined
      return created ? { ok: true, user: created } : { ok: false }
    },
    findById,
    findByLogin(login) {
      const row = byLogin.get(loginKey(login))
      return row ? toUser(row) : undefined
    },
    findByApiKey(apiKey) {
      const row = byApiKey.get(apiKey)
      return row ? toUser(row) : undefined
    },
    list() {
      return everyUser.all().map(toUser)
    },
    update(id, change) {
      updateRow.run(
        change.firstName ?? null,
        change.lastName ?? null,
        change.email ?? null,
        change.login ?? null,
        change.login === undefined ? null : loginKey(change.login),
        change.authLevel ?? null,
        change.status ?? null,
        change.networkId ?? null,
        change.mailboxId ?? null,
        change.created === undefined ? null : isoSeconds(change.created),
        id,
      )
      return findById(id)
    },
    remove(login) {
      return removeByLogin.run(loginKey(login)).changes > 0
    },
  }
}

/** The user as it would be after `change`, without saving it. */
export function applyChange(user: EcUser, change: UserChange): EcUser {
  const { created, ...rest } = change
  const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<EcUser>
  return { ...user, ...defined, ...(created === undefined ? {} : { created: isoSeconds(created) }) }
}

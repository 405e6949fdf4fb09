/** infoRouter users in SQLite (parameterised SQL only). User names are unique case-insensitively. */
import type { DatabaseSync, SQLOutputValue } from 'node:sqlite'
import { touchUser } from '../observe/load.ts'

export type Role = 'member' | 'sysadmin'

export interface IrUser {
  readonly id: number
  readonly userName: string
  readonly password: string
  readonly role: Role
  readonly firstName: string
  readonly lastName: string
  readonly email: string
  readonly mobileNumber: string
  readonly enabled: boolean
  readonly domain: string
  /** ISO timestamps. */
  readonly lastLogonAt: string | null
  readonly passwordChangedAt: string
}

export interface NewUser {
  readonly userName: string
  readonly password: string
  readonly role: Role
  readonly firstName: string
  readonly lastName: string
  readonly email: string
  readonly mobileNumber: string
}

export interface ContactChange {
  readonly email?: string
  readonly mobileNumber?: string
}

export interface UserRepository {
  create(user: NewUser, now: Date): { readonly ok: true; readonly id: number } | { readonly ok: false }
  findByName(userName: string): IrUser | undefined
  findById(id: number): IrUser | undefined
  /** Every user, in id order (the control endpoint's listing). */
  list(): IrUser[]
  /** Deletes the user (and, by cascade, their tickets); false when unknown. */
  remove(userName: string): boolean
  /** Sets the given fields in one statement; fields left out are untouched. */
  setContact(id: number, change: ContactChange): void
  recordLogon(id: number, at: Date): void
}

export const USERS_DDL = `
CREATE TABLE IF NOT EXISTS ir_users (
  user_id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_name TEXT NOT NULL,
  user_name_key TEXT NOT NULL UNIQUE,
  password TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('member', 'sysadmin')),
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT NOT NULL,
  mobile_number TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  domain TEXT NOT NULL DEFAULT '',
  last_logon_at TEXT,
  password_changed_at TEXT NOT NULL
)`

/** The case-insensitive key of a user name (ASP.NET compares them ignoring case). */
export const nameKey = (userName: string): string => userName.toLowerCase()

const str = (v: SQLOutputValue | undefined): string => (typeof v === 'string' ? v : String(v ?? ''))

function toUser(row: Record<string, SQLOutputValue>): IrUser {
  return {
    id: Number(row.user_id),
    userName: str(row.user_name),
    password: str(row.password),
    role: row.role === 'sysadmin' ? 'sysadmin' : 'member',
    firstName: str(row.first_name),
    lastName: str(row.last_name),
    email: str(row.email),
    mobileNumber: str(row.mobile_number),
    enabled: Number(row.enabled) === 1,
    domain: str(row.domain),
    lastLogonAt: row.last_logon_at === null || row.last_logon_at === undefined ? null : str(row.last_logon_at),
    passwordChangedAt: str(row.password_changed_at),
  }
}

export function createUserRepository(db: DatabaseSync): UserRepository {
  const insert = db.prepare(
    `INSERT INTO ir_users (user_name, user_name_key, password, role, first_name, last_name, email, mobile_number, password_changed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_name_key) DO NOTHING`,
  )
  const byKey = db.prepare('SELECT * FROM ir_users WHERE user_name_key = ?')
  const byId = db.prepare('SELECT * FROM ir_users WHERE user_id = ?')
  const everyUser = db.prepare('SELECT * FROM ir_users ORDER BY user_id')
  const removeByKey = db.prepare('DELETE FROM ir_users WHERE user_name_key = ?')
  const updateContact = db.prepare(`UPDATE ir_users SET email = COALESCE(?, email), mobile_number = COALESCE(?, mobile_number) WHERE user_id = ?`)
  const updateLogon = db.prepare('UPDATE ir_users SET last_logon_at = ? WHERE user_id = ?')

  return {
    create(user, now) {
      const result = insert.run(
        user.userName,
        nameKey(user.userName),
        user.password,
        user.role,
        user.firstName,
        user.lastName,
        user.email,
        user.mobileNumber,
        now.toISOString(),
      )
      return result.changes === 1 ? { ok: true, id: Number(result.lastInsertRowid) } : { ok: false }
    },
    findByName(userName) {
      // Every lookup by name is of a user a request acts on (the target, or the one logging in); callers come by ticket.
      touchUser('inforouter', nameKey(userName))
      const row = byKey.get(nameKey(userName))
      return row ? toUser(row) : undefined
    },
    findById(id) {
      const row = byId.get(id)
      return row ? toUser(row) : undefined
    },
    list() {
      return everyUser.all().map(toUser)
    },
    remove(userName) {
      return removeByKey.run(nameKey(userName)).changes > 0
    },
    setContact(id, change) {
      if (change.email === undefined && change.mobileNumber === undefined) return
      updateContact.run(change.email ?? null, change.mobileNumber ?? null, id)
    },
    recordLogon(id, at) {
      updateLogon.run(at.toISOString(), id)
    },
  }
}

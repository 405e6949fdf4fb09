/**
 * What the live ECGridOS profile (D1b, the vendor's v4.1 WSDL) keeps about a user beyond the fields both faces share:
 * company, phone, cell phone and carrier, and when the user was last modified and last logged in through that
 * profile. One row per user, made on its first write; a user without one reads the defaults (empty strings,
 * carrier `Undefined`, both instants = `created`). The row goes with its user (ON DELETE CASCADE).
 */
import type { DatabaseSync, SQLOutputValue } from 'node:sqlite'
import { isCellCarrier, type CellCarrier } from './enums.ts'
import { isoSeconds } from './users.ts'

export interface EcUserDetails {
  readonly company: string
  readonly phone: string
  readonly cellPhone: string
  readonly cellCarrier: CellCarrier
  /** Instants as the store keeps them (`2024-01-15T09:30:00Z`); undefined: never (read as `created`). */
  readonly modified?: string
  readonly lastLogin?: string
}

/** Fields to set; a field left out keeps its value. */
export interface DetailsChange {
  readonly company?: string
  readonly phone?: string
  readonly cellPhone?: string
  readonly cellCarrier?: CellCarrier
  readonly modified?: Date
  readonly lastLogin?: Date
}

export interface EcUserDetailsRepository {
  get(userId: number): EcUserDetails
  set(userId: number, change: DetailsChange): void
  /** Sessions of the user that are open (not logged out). */
  openSessions(userId: number): number
}

const DDL = `
CREATE TABLE IF NOT EXISTS ec_user_details (
  user_id INTEGER PRIMARY KEY REFERENCES ec_users (user_id) ON DELETE CASCADE,
  company TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  cell_phone TEXT NOT NULL DEFAULT '',
  cell_carrier TEXT NOT NULL DEFAULT 'Undefined',
  modified TEXT,
  last_login TEXT
);`

const DEFAULTS: EcUserDetails = { company: '', phone: '', cellPhone: '', cellCarrier: 'Undefined' }

const text = (v: SQLOutputValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined)

export function createEcUserDetailsRepository(db: DatabaseSync): EcUserDetailsRepository {
  db.exec(DDL)
  const find = db.prepare('SELECT * FROM ec_user_details WHERE user_id = ?')
  const ensure = db.prepare('INSERT INTO ec_user_details (user_id) VALUES (?) ON CONFLICT (user_id) DO NOTHING')
  const update = db.prepare(
    `UPDATE ec_user_details SET
       company = COALESCE(?, company), phone = COALESCE(?, phone), cell_phone = COALESCE(?, cell_phone),
       cell_carrier = COALESCE(?, cell_carrier), modified = COALESCE(?, modified), last_login = COALESCE(?, last_login)
     WHERE user_id = ?`,
  )
  const open = db.prepare('SELECT count(*) AS n FROM ec_sessions WHERE user_id = ? AND logged_out = 0')

  return {
    get(userId) {
      const row = find.get(userId)
      if (!row) return DEFAULTS
      const carrier = row.cell_carrier
      const modified = text(row.modified)
      const lastLogin = text(row.last_login)
      return {
        company: text(row.company) ?? '',
        phone: text(row.phone) ?? '',
        cellPhone: text(row.cell_phone) ?? '',
        cellCarrier: isCellCarrier(carrier) ? carrier : 'Undefined',
        ...(modified === undefined ? {} : { modified }),
        ...(lastLogin === undefined ? {} : { lastLogin }),
      }
    },
    set(userId, change) {
      ensure.run(userId)
      update.run(
        change.company ?? null,
        change.phone ?? null,
        change.cellPhone ?? null,
        change.cellCarrier ?? null,
        change.modified === undefined ? null : isoSeconds(change.modified),
        change.lastLogin === undefined ? null : isoSeconds(change.lastLogin),
        userId,
      )
    },
    openSessions(userId) {
      return Number(open.get(userId)?.n ?? 0)
    },
  }
}

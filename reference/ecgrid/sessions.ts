/**
 * ECGridOS sessions: `Login` opens one (a lower-case GUID), `Logout` marks it logged out. A session is valid
 * while it exists and is not logged out; GUIDs are matched case-insensitively.
 */
import { randomUUID } from 'node:crypto'
import type { DatabaseSync } from 'node:sqlite'

export type SessionCheck = { readonly kind: 'valid'; readonly sessionId: string; readonly userId: number } | { readonly kind: 'invalid' }

export interface EcSessionService {
  open(userId: number): string
  /** Missing, empty, not a GUID, unknown or logged out: invalid. */
  verify(raw: string | null): SessionCheck
  end(sessionId: string): void
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function createEcSessionService(db: DatabaseSync): EcSessionService {
  const insert = db.prepare('INSERT INTO ec_sessions (session_id, user_id) VALUES (?, ?)')
  const find = db.prepare('SELECT user_id FROM ec_sessions WHERE session_id = ? AND logged_out = 0')
  const logOut = db.prepare('UPDATE ec_sessions SET logged_out = 1 WHERE session_id = ?')

  return {
    open(userId) {
      const sessionId = randomUUID()
      insert.run(sessionId, userId)
      return sessionId
    },
    verify(raw) {
      if (raw === null || !GUID.test(raw)) return { kind: 'invalid' }
      const sessionId = raw.toLowerCase()
      const row = find.get(sessionId)
      return row ? { kind: 'valid', sessionId, userId: Number(row.user_id) } : { kind: 'invalid' }
    },
    end(sessionId) {
      logOut.run(sessionId)
    },
  }
}

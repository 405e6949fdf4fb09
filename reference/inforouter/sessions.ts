/**
 * infoRouter tickets: lower-case GUIDs with a 30-day sliding expiration. `verify` classifies what a caller
 * sent (malformed → [900], unknown/expired/logged out → [901]) and, for a live ticket, restarts its 30 days.
 * `expire` ages one ticket past its 30 days, as if the clock had moved on for it alone (the control endpoint's
 * way to let a check meet an expired ticket without expiring every other check's tickets with a global clock).
 */
import { randomUUID } from 'node:crypto'
import type { DatabaseSync } from 'node:sqlite'
import type { Clock } from '../clock.ts'

export const TICKET_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000

export type TicketCheck =
  | { readonly kind: 'valid'; readonly ticket: string; readonly userId: number }
  | { readonly kind: 'malformed' } // missing, empty or not a GUID
  | { readonly kind: 'invalid'; readonly reason?: 'unknown' | 'expired' } // a GUID that is unknown (or logged out) or expired

export interface SessionService {
  open(userId: number): { readonly ticket: string; readonly expiresAt: Date }
  /** `ignoreExpiry`: for deviations only (a service whose tickets never expire). */
  verify(raw: string | null, opts?: { readonly ignoreExpiry?: boolean }): TicketCheck
  end(ticket: string): void
  /** Ages a live ticket past its lifetime; false when there is no such ticket. */
  expire(ticket: string): boolean
}

export const TICKETS_DDL = `
CREATE TABLE IF NOT EXISTS ir_tickets (
  ticket TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES ir_users (user_id) ON DELETE CASCADE,
  last_used_ms INTEGER NOT NULL
)`

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The canonical (lower-case) form of a GUID ticket, or undefined when the text is not a GUID. */
export function canonicalTicket(raw: string | null): string | undefined {
  return raw !== null && GUID.test(raw) ? raw.toLowerCase() : undefined
}

export function createSessionService(db: DatabaseSync, clock: Clock): SessionService {
  const insert = db.prepare('INSERT INTO ir_tickets (ticket, user_id, last_used_ms) VALUES (?, ?, ?)')
  const find = db.prepare('SELECT user_id, last_used_ms FROM ir_tickets WHERE ticket = ?')
  const touch = db.prepare('UPDATE ir_tickets SET last_used_ms = ? WHERE ticket = ?')
  const remove = db.prepare('DELETE FROM ir_tickets WHERE ticket = ?')

  return {
    open(userId) {
      const ticket = randomUUID()
      const now = clock.now().getTime()
      insert.run(ticket, userId, now)
      return { ticket, expiresAt: new Date(now + TICKET_LIFETIME_MS) }
    },
    verify(raw, opts) {
      const ticket = canonicalTicket(raw)
      if (ticket === undefined) return { kind: 'malformed' }
      const row = find.get(ticket)
      if (row === undefined) return { kind: 'invalid', reason: 'unknown' }
      const now = clock.now().getTime()
      if (!opts?.ignoreExpiry && now >= Number(row.last_used_ms) + TICKET_LIFETIME_MS) return { kind: 'invalid', reason: 'expired' }
      touch.run(now, ticket)
      return { kind: 'valid', ticket, userId: Number(row.user_id) }
    },
    end(ticket) {
      remove.run(ticket)
    },
    expire(raw) {
      const ticket = canonicalTicket(raw)
      if (ticket === undefined || find.get(ticket) === undefined) return false
      touch.run(clock.now().getTime() - TICKET_LIFETIME_MS, ticket)
      return true
    },
  }
}

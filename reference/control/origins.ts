/**
 * Where each user of a store came from, for the users listing: `seeded` (a fixture account made through the control
 * endpoint with `x-reference-origin: seeded`, as `conform serve --write-config` makes them), `provisioned` (made through
 * the control endpoint without it: a run's throwaway user) or `api` (made by the API itself, e.g. LogicMelon's
 * UserAdd). Kept in SQLite beside the stores, so a `--db` file remembers it across restarts; keyed by user id,
 * which the stores never reuse (AUTOINCREMENT).
 */
import type { DatabaseSync } from 'node:sqlite'

export const ORIGIN_HEADER = 'x-reference-origin'

export const ORIGINS = ['seeded', 'provisioned', 'api'] as const
export type Origin = (typeof ORIGINS)[number]

/** What a provisioning request may say of itself: `seeded`, `provisioned`, or nothing (provisioned). */
export function originAsked(value: string | undefined): Origin | undefined {
  if (value === undefined || value === 'provisioned') return 'provisioned'
  return value === 'seeded' ? 'seeded' : undefined
}

export interface OriginBook {
  record(backend: string, userId: string, origin: Origin): void
  /** The recorded origins of a store's users; a user with none was made by the API itself. */
  of(backend: string): ReadonlyMap<string, Origin>
  /** Forgets the users of a store that are gone (after a removal). */
  keepOnly(backend: string, userIds: readonly string[]): void
}

const DDL = `
CREATE TABLE IF NOT EXISTS control_user_origins (
  backend TEXT NOT NULL,
  user_id TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (origin IN ('seeded', 'provisioned')),
  PRIMARY KEY (backend, user_id)
)`

export function createOriginBook(db: DatabaseSync): OriginBook {
  db.exec(DDL)
  const upsert = db.prepare(
    'INSERT INTO control_user_origins (backend, user_id, origin) VALUES (?, ?, ?) ON CONFLICT (backend, user_id) DO UPDATE SET origin = excluded.origin',
  )
  const ofBackend = db.prepare('SELECT user_id, origin FROM control_user_origins WHERE backend = ?')
  const prune = db.prepare('DELETE FROM control_user_origins WHERE backend = ? AND user_id NOT IN (SELECT value FROM json_each(?))')
  return {
    record(backend, userId, origin) {
      if (origin !== 'api') upsert.run(backend, userId, origin)
    },
    of(backend) {
      return new Map(ofBackend.all(backend).map((row) => [String(row.user_id), row.origin === 'seeded' ? 'seeded' : 'provisioned'] as const))
    },
    keepOnly(backend, userIds) {
      prune.run(backend, JSON.stringify(userIds))
    },
  }
}

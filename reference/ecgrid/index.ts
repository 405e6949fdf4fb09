/** The one ECGrid backend both faces use (D3): users, sessions and placements over the same SQLite tables. */
import type { DatabaseSync } from 'node:sqlite'
import { inTransaction } from '../db.ts'
import { createEcUserDetailsRepository, type EcUserDetailsRepository } from './details.ts'
import { createPlacementService, type PlacementService } from './placement.ts'
import { createEcgridSchema } from './schema.ts'
import { createEcSessionService, type EcSessionService } from './sessions.ts'
import { createEcUserRepository, type EcUserRepository } from './users.ts'

export interface EcgridStore {
  readonly users: EcUserRepository
  readonly sessions: EcSessionService
  readonly placements: PlacementService
  /** What only the live ECGridOS profile reads and writes (company, phones, carrier, last login). */
  readonly details: EcUserDetailsRepository
  /** Runs fn in one transaction (rolled back when it throws). */
  unitOfWork<T>(fn: () => T): T
}

export function createEcgridStore(db: DatabaseSync): EcgridStore {
  createEcgridSchema(db)
  return {
    users: createEcUserRepository(db),
    sessions: createEcSessionService(db),
    placements: createPlacementService(db),
    details: createEcUserDetailsRepository(db),
    unitOfWork: (fn) => inTransaction(db, fn),
  }
}

/** The LogicMelon backend: organisations, users and provisioning placements over SQLite tables. */
import type { DatabaseSync } from 'node:sqlite'
import { inTransaction } from '../db.ts'
import { createOrganisationRepository, type OrganisationRepository } from './organisations.ts'
import { createPlacementService, type PlacementService } from './placement.ts'
import { createLogicMelonSchema } from './schema.ts'
import { createLmUserRepository, type LmUserRepository } from './users.ts'

export interface LogicMelonStore {
  readonly organisations: OrganisationRepository
  readonly users: LmUserRepository
  readonly placements: PlacementService
  /** Runs fn in one transaction (rolled back when it throws). */
  unitOfWork<T>(fn: () => T): T
}

export function createLogicMelonStore(db: DatabaseSync): LogicMelonStore {
  createLogicMelonSchema(db)
  const organisations = createOrganisationRepository(db)
  return {
    organisations,
    users: createLmUserRepository(db),
    placements: createPlacementService(db, organisations),
    unitOfWork: (fn) => inTransaction(db, fn),
  }
}

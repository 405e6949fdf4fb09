/**
 * LogicMelon organisations: a tree. Only a top-level organisation has an API key (32 hex); its
 * descendants use it. Identifiers (`org-<hex6>`) are matched case-insensitively.
 */
import { randomBytes } from 'node:crypto'
import type { DatabaseSync, SQLOutputValue } from 'node:sqlite'

export interface LmOrganisation {
  readonly id: number
  readonly identifier: string
  readonly name: string
  readonly parentId: number | null
  readonly apiKey: string | null
}

export interface OrganisationRepository {
  /** A top-level organisation (parent null) gets an API key. */
  create(name: string, parentId: number | null): LmOrganisation
  findById(id: number): LmOrganisation | undefined
  findByIdentifier(identifier: string): LmOrganisation | undefined
  /** The top-level organisation above `id` (itself when it is one). */
  topLevelOf(id: number): LmOrganisation | undefined
  /** `id` and every organisation below it. */
  subtreeIds(id: number): number[]
  /** Whether `id` is `root` or below it (a walk up from `id`: the tree's size does not matter). */
  isWithin(id: number, root: number): boolean
}

const identifierKey = (identifier: string): string => identifier.toLowerCase()

function toOrganisation(row: Record<string, SQLOutputValue>): LmOrganisation {
  return {
    id: Number(row.organisation_id),
    identifier: String(row.identifier),
    name: String(row.name),
    parentId: row.parent_id === null ? null : Number(row.parent_id),
    apiKey: row.api_key === null ? null : String(row.api_key),
  }
}

export function createOrganisationRepository(db: DatabaseSync): OrganisationRepository {
  const insert = db.prepare(
    `INSERT INTO lm_organisations (identifier, identifier_key, name, parent_id, api_key) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (identifier_key) DO NOTHING`,
  )
  const byId = db.prepare('SELECT * FROM lm_organisations WHERE organisation_id = ?')
  const byIdentifier = db.prepare('SELECT * FROM lm_organisations WHERE identifier_key = ?')
  // An organisation and its ancestors, up to the top-level one (a walk up: the tree's size does not matter).
  const ancestry = db.prepare(
    `WITH RECURSIVE up (id, parent) AS (
       SELECT organisation_id, parent_id FROM lm_organisations WHERE organisation_id = ?
       UNION ALL SELECT o.organisation_id, o.parent_id FROM lm_organisations o JOIN up ON o.organisation_id = up.parent
     ) SELECT id, parent FROM up`,
  )
  const subtree = db.prepare(
    `WITH RECURSIVE tree (id) AS (
       SELECT organisation_id FROM lm_organisations WHERE organisation_id = ?
       UNION ALL SELECT o.organisation_id FROM lm_organisations o JOIN tree ON o.parent_id = tree.id
     ) SELECT id FROM tree ORDER BY id`,
  )

  const findById = (id: number): LmOrganisation | undefined => {
    const row = byId.get(id)
    return row ? toOrganisation(row) : undefined
  }

  return {
    create(name, parentId) {
      const apiKey = parentId === null ? randomBytes(16).toString('hex') : null
      // 16M identifiers: a clash is rare, and simply draws again
      for (;;) {
        const identifier = `org-${randomBytes(3).toString('hex')}`
        const result = insert.run(identifier, identifierKey(identifier), name, parentId, apiKey)
        const created = result.changes === 1 ? findById(Number(result.lastInsertRowid)) : undefined
        if (created) return created
      }
    },
    findById,
    findByIdentifier(identifier) {
      const row = byIdentifier.get(identifierKey(identifier))
      return row ? toOrganisation(row) : undefined
    },
    topLevelOf(id) {
      const row = ancestry.all(id).find((r) => r.parent === null)
      return row ? findById(Number(row.id)) : undefined
    },
    subtreeIds(id) {
      return subtree.all(id).map((row) => Number(row.id))
    },
    isWithin(id, root) {
      return ancestry.all(id).some((r) => Number(r.id) === root)
    },
  }
}

/**
 * Where a provisioned user lives. The reference holds one account: a top-level organisation with the API key.
 * A group's first use makes an organisation under it (named after the group); `same` users go into it,
 * `other-organisation` users into one child organisation of it (made once per group), and `top` users into the
 * account's organisation itself, whose administrators see every group (the suite's reader sits there).
 */
import type { DatabaseSync } from 'node:sqlite'
import type { OrganisationRepository } from './organisations.ts'

export const PLACEMENTS = ['same', 'other-organisation', 'top'] as const

export type Placement = (typeof PLACEMENTS)[number]

export interface PlacementService {
  /** The OrganisationID a user of `group` with `placement` goes into. */
  place(group: string, placement: Placement): number
}

export function createPlacementService(db: DatabaseSync, organisations: OrganisationRepository): PlacementService {
  const findGroup = db.prepare('SELECT organisation_id, child_organisation_id FROM lm_groups WHERE name = ?')
  const insertGroup = db.prepare('INSERT INTO lm_groups (name, organisation_id) VALUES (?, ?)')
  const setChild = db.prepare('UPDATE lm_groups SET child_organisation_id = ? WHERE name = ?')
  const findAccount = db.prepare('SELECT organisation_id FROM lm_organisations WHERE parent_id IS NULL ORDER BY organisation_id LIMIT 1')

  const accountOrganisation = (): number => {
    const row = findAccount.get()
    return row ? Number(row.organisation_id) : organisations.create('Reference account', null).id
  }

  const groupOrganisation = (group: string): number => {
    const row = findGroup.get(group)
    if (row) return Number(row.organisation_id)
    const created = organisations.create(group, accountOrganisation())
    insertGroup.run(group, created.id)
    return created.id
  }

  const childOrganisation = (group: string): number => {
    const parent = groupOrganisation(group)
    const existing = findGroup.get(group)?.child_organisation_id
    if (existing !== null && existing !== undefined) return Number(existing)
    const child = organisations.create(`${group} (other organisation)`, parent)
    setChild.run(child.id, group)
    return child.id
  }

  return {
    place: (group, placement) => (placement === 'top' ? accountOrganisation() : placement === 'same' ? groupOrganisation(group) : childOrganisation(group)),
  }
}

/**
 * Where a provisioned user lives. Users provisioned with the same group share one network and mailbox
 * (created on the group's first use); `other-mailbox` is a fresh mailbox in the group's network;
 * `other-network` a fresh network with a fresh mailbox.
 */
import type { DatabaseSync } from 'node:sqlite'

export const PLACEMENTS = ['same', 'other-mailbox', 'other-network'] as const

export type Placement = (typeof PLACEMENTS)[number]

export interface Location {
  readonly networkId: number
  readonly mailboxId: number
}

export interface PlacementService {
  place(group: string, placement: Placement): Location
}

export function createPlacementService(db: DatabaseSync): PlacementService {
  const newNetwork = db.prepare('INSERT INTO ec_networks DEFAULT VALUES')
  const newMailbox = db.prepare('INSERT INTO ec_mailboxes (network_id) VALUES (?)')
  const findGroup = db.prepare('SELECT network_id, mailbox_id FROM ec_groups WHERE name = ?')
  const insertGroup = db.prepare('INSERT INTO ec_groups (name, network_id, mailbox_id) VALUES (?, ?, ?)')

  const mailboxIn = (networkId: number): Location => ({ networkId, mailboxId: Number(newMailbox.run(networkId).lastInsertRowid) })
  const freshNetwork = (): Location => mailboxIn(Number(newNetwork.run().lastInsertRowid))

  const groupLocation = (group: string): Location => {
    const row = findGroup.get(group)
    if (row) return { networkId: Number(row.network_id), mailboxId: Number(row.mailbox_id) }
    const location = freshNetwork()
    insertGroup.run(group, location.networkId, location.mailboxId)
    return location
  }

  return {
    place(group, placement) {
      switch (placement) {
        case 'same':
          return groupLocation(group)
        case 'other-mailbox':
          return mailboxIn(groupLocation(group).networkId)
        case 'other-network':
          return freshNetwork()
      }
    },
  }
}

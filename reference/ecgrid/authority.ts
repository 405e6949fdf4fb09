/**
 * D4: who may read or update a user. The caller themselves; Root and TechOps anyone; a NetworkAdmin the
 * users of its network; a MailboxAdmin the users of its mailbox. The policy is a plain object so that a
 * deviation can hand a handler one that draws a scope wrongly (the policies below `documentedAccess`).
 */
import type { EcUser } from './users.ts'

export interface AccessPolicy {
  mayActOn(caller: EcUser, target: EcUser): boolean
}

export const documentedAccess: AccessPolicy = {
  mayActOn(caller, target) {
    if (caller.id === target.id) return true
    switch (caller.authLevel) {
      case 'Root':
      case 'TechOps':
        return true
      case 'NetworkAdmin':
        return caller.networkId === target.networkId
      case 'MailboxAdmin':
        return caller.mailboxId === target.mailboxId
      default:
        return false
    }
  },
}

export const allowEveryone: AccessPolicy = { mayActOn: () => true }

/** The documented policy, but for callers of one AuthLevel, whose scope is `scope`. */
export const withScopeFor = (level: EcUser['authLevel'], scope: (caller: EcUser, target: EcUser) => boolean): AccessPolicy => ({
  mayActOn: (caller, target) => (caller.authLevel === level ? scope(caller, target) : documentedAccess.mayActOn(caller, target)),
})

/** A NetworkAdmin may act on users of any network (the network comparison forgotten). */
export const networkAdminAnyNetwork = withScopeFor('NetworkAdmin', () => true)

/** A MailboxAdmin may act on every user of its network (the network compared instead of the mailbox). */
export const mailboxAdminWholeNetwork = withScopeFor('MailboxAdmin', (caller, target) => caller.networkId === target.networkId)

/** A NetworkAdmin may act only on users of its own mailbox (the mailbox compared instead of the network). */
export const networkAdminOwnMailbox = withScopeFor('NetworkAdmin', (caller, target) => caller.mailboxId === target.mailboxId)

/** TechOps is scoped like a NetworkAdmin (only Root reaches every network). */
export const techOpsOwnNetwork = withScopeFor('TechOps', (caller, target) => caller.networkId === target.networkId)

/**
 * Admins act only on users of a lower AuthLevel: never on themselves, nor on a peer. A plain user still updates
 * themselves (the self clause applies below the admin levels only).
 */
const ADMIN_RANK: Readonly<Record<string, number>> = { Root: 0, TechOps: 1, NetworkAdmin: 3, MailboxAdmin: 6 }
export const adminsOnlyBelow: AccessPolicy = {
  mayActOn(caller, target) {
    const rank = ADMIN_RANK[caller.authLevel]
    if (rank === undefined) return documentedAccess.mayActOn(caller, target)
    const targetRank = ADMIN_RANK[target.authLevel] ?? Number.MAX_SAFE_INTEGER
    return targetRank > rank && documentedAccess.mayActOn(caller, target)
  },
}

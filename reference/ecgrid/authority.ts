/**
 * D4: who may read or update a user. The caller themselves; Root and TechOps anyone; a NetworkAdmin the
 * users of its network; a MailboxAdmin the users of its mailbox. The policy is a plain object so that a
 * deviation can hand a handler one that allows everything.
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

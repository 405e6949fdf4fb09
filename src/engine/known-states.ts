import type { UserState } from './expectations.ts'

/**
 * What the run last verified of each fixture account, so that the next check on it needs no snapshot read: the state
 * a check's clean-up saw the user in (its verified restore, or its last read when nothing needed putting back). The run
 * holds each account for one check at a time (the account pools), so between two checks nothing of this run writes
 * it; another run on the same accounts is what INTERFERED reports.
 *
 * An entry is taken out when a check acquires the account and put back only when that check's clean-up verified the
 * user: a check that did not (interfered, restore not verified or failed, stopped before its snapshot) leaves none,
 * and the next check reads the user afresh. Keyed by account (two APIs may list one account): an entry holds one
 * API's view, and a check through the other API reads afresh.
 */
export class KnownStates {
  private readonly states = new Map<string, { api: string; state: UserState }>()

  /** The state last verified of `account` through `api`, removed: the check that takes it now holds the account. */
  take(account: string, api: string): UserState | undefined {
    const known = this.states.get(account)
    this.states.delete(account)
    return known?.api === api ? { ...known.state } : undefined
  }

  /** The state a check's clean-up verified, as it releases the account. */
  verified(account: string, api: string, state: UserState): void {
    this.states.set(account, { api, state: { ...state } })
  }

  /** Whether the run knows the state of `account` through `api`. */
  has(account: string, api: string): boolean {
    return this.states.get(account)?.api === api
  }

  /** Forgets an account (something this run cannot vouch for may have written it). */
  forget(account: string): void {
    this.states.delete(account)
  }

  get size(): number {
    return this.states.size
  }
}

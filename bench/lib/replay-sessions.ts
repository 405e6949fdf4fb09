/**
 * Which live session the replay puts where the HAR shows a caller's ***. A run logs a caller in once per account and
 * may use that session in later checks, or log in outside any check; the HAR masks every token alike, so the replay
 * keys the sessions its own logins open by API and account (the user each login was for, as the login request names
 * it), in the HAR's order. Pure: no I/O, the live values only in memory.
 */

const key = (api: string, account: string) => JSON.stringify([api, account])

interface Opened {
  /** Settles with the live token once the replay's login has answered (undefined: it revealed none). */
  token: Promise<string | undefined>
  resolve: (token: string | undefined) => void
}

/** The logins of a replay, planned from the HAR before it starts and filled in as the replay's logins answer. */
export class ReplaySessions {
  /** Per API and account, each login in the HAR's order: [place of the exchange, its session]. */
  private readonly logins = new Map<string, Array<[number, Opened]>>()
  /** Per API, the sessions opened, oldest first, not yet logged out by a logout outside any check. */
  private readonly open = new Map<string, Array<Promise<string | undefined>>>()

  /** A login the HAR holds at `place` (its order among the HAR's exchanges), for `account` on `api`. */
  planLogin(api: string, account: string | undefined, place: number): void {
    if (account === undefined) return
    const list = this.logins.get(key(api, account)) ?? []
    let resolve!: (token: string | undefined) => void
    const token = new Promise<string | undefined>((r) => {
      resolve = r
    })
    list.push([place, { token, resolve }])
    list.sort((a, b) => a[0] - b[0])
    this.logins.set(key(api, account), list)
  }

  /** The replay's login planned at `place` answered (`token` undefined: its answer revealed no session). */
  opened(api: string, account: string | undefined, place: number, token: string | undefined): void {
    if (account === undefined) return
    const login = this.logins.get(key(api, account))?.find(([p]) => p === place)?.[1]
    if (!login) return
    login.resolve(token)
    const open = this.open.get(api) ?? []
    open.push(login.token)
    this.open.set(api, open)
  }

  /**
   * The session `account` holds on `api` for an exchange at `place`: the one its latest login before that place opened
   * (waiting for that login's answer if the replay has not had it yet; it comes from a check started earlier, so it
   * will). Undefined when no login of the HAR precedes it.
   */
  async at(api: string, account: string | undefined, place: number): Promise<string | undefined> {
    if (account === undefined) return undefined
    const before = (this.logins.get(key(api, account)) ?? []).filter(([p]) => p < place)
    return before.length ? before[before.length - 1]![1].token : undefined
  }

  /** The oldest session still open on `api`: a logout outside any check ends the run's sessions in the order they opened. */
  closeOldest(api: string): Promise<string | undefined> {
    return this.open.get(api)?.shift() ?? Promise.resolve(undefined)
  }
}

import type { BindingName } from '../bindings/types.ts'
import type { ApiDescription } from '../spec/model.ts'
import { buildParams } from './check-execution.ts'
import type { ApiClient } from './client.ts'
import type { Token } from './authenticate.ts'
import { inParallel } from '../in-parallel.ts'

/**
 * The sessions (tickets, session IDs) a run opened by logging in, so that it can log each one out when it ends: a
 * run against shared staging leaves no session open behind it. Only APIs that document a logout keep any here.
 */
export class OpenSessions {
  private readonly open: Array<{ api: ApiDescription; binding: BindingName; token: Token }> = []

  opened(api: ApiDescription, binding: BindingName, token: Token): void {
    if (api.auth.login && api.auth.logout) this.open.push({ api, binding, token })
  }

  get size(): number {
    return this.open.length
  }

  /**
   * Logs out every session opened so far (of the APIs `only` names), `concurrency` at a time; the others are forgotten. A logout that fails (the check itself logged the
   * session out, the target is gone) is let go: the session then ends as the target expires it. Returns how many
   * logouts the target accepted.
   */
  async logOutAll(client: (api: string) => ApiClient, concurrency: number, only: (api: string) => boolean = () => true): Promise<number> {
    let accepted = 0
    const logOut = (s: (typeof this.open)[number]) => async (): Promise<void> => {
      const logout = s.api.auth.logout!
      try {
        const r = await client(s.api.api).call(s.binding, logout.operation, buildParams(s.api, { operation: logout.operation, params: logout.params }, s.token))
        if (r.outcome.kind === 'answer') accepted++
      } catch {
        // expires on its own
      }
    }
    await inParallel(
      this.open
        .splice(0)
        .filter((s) => only(s.api.api))
        .map(logOut),
      concurrency,
    )
    return accepted
  }
}

import type { Outcome } from '../bindings/types.ts'
import type { Loaded, Matcher } from '../spec/model.ts'
import type { Token } from './authenticate.ts'
import type { Check } from './plan.ts'

/**
 * One login per caller per run: a session (ticket, session ID) a check opened is kept for the next check of the same
 * fixture account, over any binding (the target keeps the session, not the wire), and logged out when the run ends
 * like every other (sessions.ts).
 * Only where nothing the check decides can come from the session itself:
 *
 * - `never` for checks about sessions (an expired caller session, a call of the login or logout operation) and for
 *   checks that could change what no restore puts back (a password: the target may end the user's sessions). Such a
 *   check also ends the reuse of the sessions kept for the accounts it holds (`forgetAccount`): what it does may end
 *   them.
 * - `any` kept session for checks that expect the call to be accepted: a dead session makes such a check fail, never
 *   pass, and the first call made with a kept session that is not accepted is checked (the check's users read back
 *   unchanged: nothing was applied) and sent again after a fresh login (execute.ts). A session the target expired is
 *   re-established, not reported.
 * - only a `recent` one for checks that expect a refusal (a fault, an HTTP error, an answer unlike `auth.expect`):
 *   a session the target has ended answers a refusal too, and the check could pass on it. So the session must have
 *   been accepted (its login, or a call that showed acceptance) within `recentMs` (a minute: far below any session
 *   lifetime a target sets), and nothing of this run can have ended it since (see `never`); else the check logs in
 *   afresh, and keeps that session.
 */
export type SessionReuse = 'never' | 'any' | 'recent'

/** How a check may take its caller's session from an earlier check (and leave its own for a later one). */
export function sessionReuse(c: Check, risky: boolean): SessionReuse {
  const { spec, api } = c
  if (!api.auth.login || !spec.caller || !('user' in spec.caller) || endsSessions(c, risky)) return 'never'
  return expectsAcceptance(spec.then, api.auth.expect ?? {}) ? 'any' : 'recent'
}

/**
 * Whether what a check does may end sessions of the accounts it holds: it expires its caller's session, calls the
 * login or logout operation itself, or could change what no restore puts back (a password).
 */
export function endsSessions(c: Check, risky: boolean): boolean {
  const { spec, api } = c
  const login = api.auth.login
  if (!login) return false
  if (risky || (spec.caller && 'user' in spec.caller && spec.caller.session !== undefined)) return true
  const sessionOps = new Set([login.operation, ...(api.auth.logout ? [api.auth.logout.operation] : [])])
  return [...spec.before, spec.when].some((call) => sessionOps.has(call.operation))
}

/** How long a session accepted by the target is trusted to be alive without a call showing it. */
export const RECENT_SESSION_MS = 60_000

/** A primitive matcher that is exactly the value `auth.expect` asks for. */
const sameAs = (m: Loaded<Matcher> | undefined, v: string): boolean => m !== null && m !== undefined && typeof m !== 'object' && String(m) === v

/**
 * The check expects its call to be accepted: no fault, no HTTP error, no choice of outcomes, and every answer field
 * `auth.expect` names (what an accepted call answers, e.g. infoRouter's `success: "true"`) left open or asked as it.
 */
export function expectsAcceptance(then: Check['spec']['then'], accepted: Readonly<Record<string, string>>): boolean {
  if (then.fault || then.httpError || then.any) return false
  if (then.status !== undefined && then.status >= 400) return false
  return Object.entries(accepted).every(([path, v]) => then.response?.[path] === undefined || sameAs(then.response[path], v))
}

/**
 * An outcome a target could give a caller whose session it ended: a fault, an answer not showing acceptance, or
 * HTTP 401/403, each well-formed. Anything else (an error page, a broken answer, a transport failure) is the
 * target's answer to the call itself and is never sent again.
 */
export function maySayTheSessionEnded(outcome: Outcome): boolean {
  if (outcome.problems.length) return false
  if (outcome.kind === 'fault' || outcome.kind === 'answer') return true
  return outcome.kind === 'http-error' && (outcome.status === 401 || outcome.status === 403)
}

/** The sessions kept for reuse, per API and fixture account, with when the target last accepted each. */
export class CallerSessions {
  private readonly kept = new Map<string, { account: string; token: Token; acceptedAt: number }>()
  private readonly recentMs: number
  private readonly now: () => number

  /** `recentMs` and `now` are for tests (a session accepted long ago, without waiting for it). */
  constructor(recentMs = RECENT_SESSION_MS, now: () => number = () => performance.now()) {
    this.recentMs = recentMs
    this.now = now
  }

  private static key(api: string, account: string): string {
    return JSON.stringify([api, account])
  }

  /** The kept session for a check that may reuse one so (`recent`: only one the target accepted lately). */
  get(api: string, account: string, reuse: Exclude<SessionReuse, 'never'>): Token | undefined {
    const kept = this.kept.get(CallerSessions.key(api, account))
    if (!kept || (reuse === 'recent' && this.now() - kept.acceptedAt > this.recentMs)) return undefined
    return kept.token
  }

  /** A session the target has just accepted (its login answered, or a call with it showed acceptance). */
  keep(api: string, account: string, token: Token): void {
    this.kept.set(CallerSessions.key(api, account), { account, token, acceptedAt: this.now() })
  }

  /** A session the target no longer accepts (it stays among the run's open sessions: its logout is let go). */
  drop(api: string, account: string): void {
    this.kept.delete(CallerSessions.key(api, account))
  }

  /** Whether a session is kept for this account on this API (the account pools lend such accounts first). */
  has(api: string, account: string): boolean {
    return this.kept.has(CallerSessions.key(api, account))
  }

  /** Every session kept for an account, on every API: a check is about to do what may end them. */
  forgetAccount(account: string): void {
    for (const [key, kept] of this.kept) if (kept.account === account) this.kept.delete(key)
  }

  get size(): number {
    return this.kept.size
  }
}

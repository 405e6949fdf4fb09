import type { Check } from './plan.ts'
import { restoresAtOnce, writeReach } from './restorable.ts'
import { sessionReuse } from './session-reuse.ts'

/**
 * How many requests a check sends one after another, estimated from its spec and its API's description before it
 * runs: the scheduler starts the longest checks first and judges a pool's chain by its checks' summed lengths. A rough
 * count of the steps of `execute.ts` (how close it comes: bench/README.md):
 *
 * - the caller's login, where its session can never come from an earlier check (`sessionReuse`);
 * - per user with `given.users.X.set`: the write and the read that establish it;
 * - the `before` calls and the call;
 * - the read-back of the users `then.state` or `then.unchanged` names (all at once: one), else one to compare an
 *   answer that carries the user;
 * - the restore, its users side by side (the longest of them): a read for one the check did not read after its
 *   call; a write and a read (and a read first, unless the last read came after its call and the restore's write sets
 *   only fields the check could) for one the check changed: set, expected in a new state, or the user an accepted
 *   write selects (the first user neither the caller nor kept unchanged);
 * - a cross-API check: both APIs read each user after each update, the user is put back in between (a write and two
 *   reads), and the update goes through the other API.
 *
 * Not counted: the snapshot (the run knows its accounts' states from the preflight), a login whose session may be
 * kept, provisioning, control requests, retries.
 */
export function checkLength(c: Check, risky = false): number {
  const { spec, api } = c
  const aliases = Object.keys(spec.users)
  const caller = spec.caller && 'user' in spec.caller ? spec.caller : undefined
  let n = 0
  if (caller && api.auth.login && sessionReuse(c, risky) === 'never') n++
  const set = aliases.filter((a) => spec.users[a]?.set)
  n += 2 * set.length + spec.before.length + 1
  const read = new Set([...(spec.then.unchanged ?? []), ...Object.keys(spec.then.state ?? {})])
  if (c.counterpart) for (const a of aliases) read.add(a)
  if (read.size) n++
  const accepted = c.writes && mayAccept(spec.then)
  const unchanged = new Set(spec.then.unchanged ?? [])
  const changedByCall = accepted ? aliases.filter((a) => spec.then.state?.[a] !== undefined && !unchanged.has(a)) : []
  if (accepted && changedByCall.length === 0) {
    const written = aliases.find((a) => a !== caller?.user && !unchanged.has(a)) ?? aliases.find((a) => !unchanged.has(a))
    if (written) changedByCall.push(written)
  }
  if (read.size === 0 && accepted && api.operations[spec.when.operation]?.answer.user) n++
  const reach = writeReach(c)
  const writesAtOnce = restoresAtOnce(api.restorable, reach.unknown.length ? undefined : reach.fields)
  let restore = 0
  for (const a of aliases) {
    if (set.includes(a) || changedByCall.includes(a)) restore = Math.max(restore, read.has(a) && writesAtOnce ? 2 : 3)
    else if (!read.has(a)) restore = Math.max(restore, 1)
  }
  n += restore
  if (c.counterpart) n += 6 * aliases.length + 1
  return n
}

/** Whether the spec allows the call to be accepted (an answer, not a fault or an HTTP error). */
function mayAccept(then: Check['spec']['then']): boolean {
  const accepts = (o: { fault?: unknown; httpError?: unknown; status?: number }) => !o.fault && !o.httpError && (o.status === undefined || o.status < 400)
  return then.any ? then.any.some(accepts) : accepts(then)
}

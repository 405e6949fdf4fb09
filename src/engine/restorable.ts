import { Template } from '../expr.ts'
import type { ApiDescription, Call } from '../spec/model.ts'
import { isOmit } from '../yaml/source.ts'
import type { Check } from './plan.ts'
import type { ResolvedTarget } from './target.ts'

/**
 * What a check's writing calls could change on its users, judged from the params they send (api.yaml `selects` and
 * `sets` of each writing operation): the user fields those params set, and the params that set nothing known (an
 * unmapped param, a raw body); and the fields its `given` gives starting values. Static: a call's values do not matter, only which params it sends.
 */
export interface WriteReach {
  fields: string[]
  /** Sent params of writing calls that map to no field: they could change anything. */
  unknown: string[]
}

/** The params a call sends: each declared leaf given itself or through a group, unless `!omit`; raw bodies too. */
function sentParams(declared: readonly string[], call: Call): string[] {
  const sent: string[] = []
  for (const leaf of declared) {
    const parts = leaf.split('.')
    for (let i = parts.length; i > 0; i--) {
      const key = parts.slice(0, i).join('.')
      if (!Object.hasOwn(call.params, key)) continue
      if (!isOmit(call.params[key])) sent.push(leaf)
      break
    }
  }
  if (Object.hasOwn(call.params, '$raw')) sent.push('$raw')
  return sent
}

function reachOf(api: ApiDescription, calls: readonly Call[], into: { fields: Set<string>; unknown: Set<string> }): void {
  for (const call of calls) {
    const op = api.operations[call.operation]
    if (!op?.writes) continue
    const credentials = api.auth.credential && !(api.auth.credential instanceof Template) ? Object.keys(api.auth.credential) : []
    for (const p of sentParams(op.params, call)) {
      if (p === op.token || credentials.includes(p) || op.selects.includes(p)) continue
      const field = op.sets[p]
      if (field) into.fields.add(field)
      else into.unknown.add(p === '$raw' ? 'anything (a raw body)' : `${p} (sets no known field)`)
    }
  }
}

export function writeReach(c: Check): WriteReach {
  return reach(c, true)
}

function reach(c: Check, starting: boolean): WriteReach {
  const into = { fields: new Set<string>(), unknown: new Set<string>() }
  reachOf(c.api, [...c.spec.before, c.spec.when], into)
  // The starting values a check gives its users (`given … set`, written through the restore call) are its writes too:
  // a check stopped between that write and its read must put them back, not take them for another writer's.
  if (starting) for (const u of Object.values(c.spec.users)) for (const f of Object.keys(u.set ?? {})) into.fields.add(f)
  if (c.counterpart && c.spec.equivalent) reachOf(c.counterpart.api, [c.spec.equivalent.when], into)
  return { fields: [...into.fields].sort(), unknown: [...into.unknown].sort() }
}

/** The user fields a target lets an API update (the target's list, else the API's documented one, else all). */
export function updateableOn(target: ResolvedTarget, api: ApiDescription): readonly string[] {
  return target.apis[api.api]?.updateable ?? api.user.updateable ?? Object.keys(api.user.fields)
}

/**
 * What the check could change that its restore cannot put back: fields outside the API's restorable ones (those
 * the restore call writes back and the read-back shows) or that the target does not let the API update, and params
 * that set nothing known. Empty: every change the check can make is undone and verified by the restore.
 */
export function unrestorable(c: Check, updateable: readonly string[]): string[] {
  // Not the starting values: written through the restore call, they change only what a restore writes back.
  const calls = reach(c, false)
  const back = new Set(c.api.restorable.filter((f) => updateable.includes(f)))
  return [...calls.fields.filter((f) => !back.has(f)), ...calls.unknown]
}

/** The reason a check that could change what cannot be put back is not run on ordinary fixture accounts. */
export function notVerifiedReason(changes: readonly string[]): string {
  return `not verified: the check could change ${changes.join(', ')}, which the restore cannot put back; mark accounts as disposable to run it`
}

/**
 * Whether a restore may write at once, without a look first: the restore call writes only fields the check's requests
 * could set (`mayChange`; undefined: anything), so a look could keep none of another writer's values from that write.
 */
export function restoresAtOnce(restorable: readonly string[], mayChange: readonly string[] | undefined): boolean {
  return mayChange !== undefined && restorable.every((f) => mayChange.includes(f))
}

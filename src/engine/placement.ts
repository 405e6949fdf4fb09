import { PLACEMENT_KEY } from '../spec/model.ts'
import type { ResolvedApiTarget } from './target.ts'

export { PLACEMENT_KEY }

/** The placement a spec user asks for when that is all its `with:` asks; `false` when it asks for other values too. */
export function placementAsked(values: Readonly<Record<string, string>> | undefined): string | undefined | false {
  if (!values) return undefined
  const keys = Object.keys(values)
  return keys.length === 1 && keys[0] === PLACEMENT_KEY ? values[PLACEMENT_KEY] : false
}

export const placementOf = (raw: Readonly<Record<string, string>>): string | undefined => raw[PLACEMENT_KEY]

/**
 * What a configured target lacks for these users, as a reason a person can act on; undefined when it has accounts of
 * every role at every placement asked, as many as asked.
 */
export function missingPlacement(t: ResolvedApiTarget, users: ReadonlyArray<{ role: string; with?: Readonly<Record<string, string>> }>): string | undefined {
  const wanted = new Map<string, { role: string; placement: string; n: number }>()
  for (const u of users) {
    const p = placementAsked(u.with)
    if (typeof p !== 'string') continue
    const k = `${u.role}@${p}`
    wanted.set(k, { role: u.role, placement: p, n: (wanted.get(k)?.n ?? 0) + 1 })
  }
  for (const w of wanted.values()) {
    const have = (t.fixtures[w.role] ?? []).filter((a) => placementOf(a) === w.placement).length
    if (have < w.n)
      return `the target lists no ${w.role} account with placement: ${w.placement}, which this check needs (mark one in the config; docs/staging.md)`
  }
  return undefined
}

import type { ParamValue } from '../bindings/types.ts'
import { walk } from '../expr.ts'
import { isNil, isOmit, NIL } from '../yaml/source.ts'

/**
 * Nested parameters. An operation declares `params: [a, { Request: [b, { User: [c, d] }] }]`; everywhere else a
 * parameter is its dotted path (`Request.User.c`), in declaration order. A spec may give a leaf, or a whole group
 * at once (`Request.User: ${answers.UserList.CUser}`, an object whose keys are the group's children); the more
 * specific key wins, so a group can be sent back with a few fields changed.
 */
export type ParamTree = ReadonlyArray<string | Readonly<Record<string, ParamTree>>>

export function flattenParams(tree: ParamTree, prefix = ''): string[] {
  return tree.flatMap((item) =>
    typeof item === 'string' ? [`${prefix}${item}`] : Object.entries(item).flatMap(([group, children]) => flattenParams(children, `${prefix}${group}.`)),
  )
}

/** Every group path of a flattened list (`Request`, `Request.User`). */
export function paramGroups(params: readonly string[]): string[] {
  const groups = new Set<string>()
  for (const p of params) {
    const parts = p.split('.')
    for (let i = 1; i < parts.length; i++) groups.add(parts.slice(0, i).join('.'))
  }
  return [...groups]
}

/** The prefixes of a dotted path, longest first, the path itself included. */
function prefixes(path: string): string[] {
  const parts = path.split('.')
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('.'))
}

/** Whether a parameter is given, itself or through one of its groups. */
export function isGiven(param: string, given: (name: string) => boolean): boolean {
  return prefixes(param).some(given)
}

/** Whether a name (a leaf or a group) is covered by a list of names (itself or one of its groups is listed). */
export function coveredBy(param: string, names: readonly string[]): boolean {
  return prefixes(param).some((p) => names.includes(p))
}

/**
 * The values to send, in declaration order: each leaf from its most specific given key. A group given as nil is
 * sent once as nil; a group or leaf given as `!omit`, or absent from a group's object, is left out.
 */
export function resolveParams(declared: readonly string[], supplied: (name: string) => unknown): Array<[string, ParamValue]> {
  const out: Array<[string, ParamValue]> = []
  const nilGroups = new Set<string>()
  for (const leaf of declared) {
    for (const key of prefixes(leaf)) {
      const v = supplied(key)
      if (v === undefined) continue
      if (isOmit(v)) break
      if (isNil(v) || v === null) {
        if (key === leaf) out.push([leaf, NIL])
        else if (!nilGroups.has(key)) {
          nilGroups.add(key)
          out.push([key, NIL])
        }
        break
      }
      const value = key === leaf ? v : walk(v, leaf.slice(key.length + 1).split('.'))
      if (value === undefined) break
      if (value === null || isNil(value)) out.push([leaf, NIL])
      else if (typeof value === 'object') break
      else out.push([leaf, String(value)])
      break
    }
  }
  return out
}

/** Dotted entries into nested objects (insertion order kept), for encoders that write a tree. */
export function nestParams<V>(entries: ReadonlyArray<readonly [string, V]>): Record<string, unknown> {
  const root: Record<string, unknown> = {}
  for (const [name, value] of entries) {
    const parts = name.split('.')
    let node = root
    for (const part of parts.slice(0, -1)) {
      const next = node[part]
      if (next === undefined || typeof next !== 'object' || next === null || isNil(next)) node[part] = {}
      node = node[part] as Record<string, unknown>
    }
    node[parts[parts.length - 1]!] = value
  }
  return root
}

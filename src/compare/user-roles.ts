import { flattenRequest, type Flat } from './flatten.ts'
import { flatOf, noiseKey } from './noise.ts'
import type { RecordedAnswer } from './run-record.ts'

/**
 * Pure. Two targets never have the same users: the embedded reference provisions fresh ones for every check, a staging
 * system lends its fixture accounts, another vendor has others again. A check plays the same roles on both (the
 * caller, the user it updates, a user of another mailbox), so the user data in its answers (logins, IDs, e-mails,
 * names, what the user's record held before the check) differ between the targets without any behaviour differing.
 *
 * The roles are read from the check itself, exchange by exchange (both sides made the same calls in the same order):
 * - what it sent: the same value on both sides is the check's own data (a new e-mail from the seed); a value that
 *   differs at the same place of the same request names a user (a login, an ID in a URL);
 * - what it found before it acted (the answers of its `authenticate` and `snapshot` steps): each user's record, field
 *   by field.
 * Each such pair (baseline value, candidate value) is the same role's datum. A difference in a later answer is user
 * data when it is such a pair at the same field, or when the two values are the same text once each side's user data
 * is replaced by its role. Anything else (a status, a fault code, a field only one side has, a JSON type, a value the
 * check sent coming back changed, another user's data where the baseline names this one) still differs.
 */

/** Steps whose answers are the users as the check found them, before it did anything. */
const USER_STATE_STEPS = new Set(['authenticate', 'snapshot'])

/** Values too short or too common to be told apart inside a longer text (`1`, `0`, `""`). */
const MIN_EMBEDDED = 3

export interface UserRoles {
  /** Whether the two values at `path` of an answer are the same role's user data. */
  same(path: string, baseline: string, candidate: string): boolean
  /** How many distinct pairs of user data the check showed (for tests and reports). */
  readonly pairs: number
}

/** A flattened value without its JSON quotes; `kind` keeps `"7"` and `7` apart. */
function raw(value: string): { kind: 'string' | 'literal'; text: string } {
  if (value.startsWith('"')) {
    try {
      return { kind: 'string', text: JSON.parse(value) as string }
    } catch { /* not a JSON string after all */ }
  }
  return { kind: 'literal', text: value }
}

const INTEGER = /^-?\d+$/
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

export function userRoles(baseline: RecordedAnswer[], candidate: RecordedAnswer[]): UserRoles {
  const atField = new Map<string, Set<string>>()
  const links: Array<[string, string]> = []
  const counters = new Set<number>()
  const add = (key: string, vb: string, vc: string, state: boolean) => {
    const [b, c] = [raw(vb).text, raw(vc).text]
    if (b === c) return
    if (state) {
      const set = atField.get(key) ?? new Set<string>()
      set.add(`${b}\u0000${c}`)
      atField.set(key, set)
      // A count of the user's own (open sessions): what the check does to it moves it alike on both sides.
      if (INTEGER.test(b) && INTEGER.test(c) && !/id$/i.test(key)) counters.add(Number(c) - Number(b))
    }
    links.push([b, c])
  }
  const n = Math.min(baseline.length, candidate.length)
  for (let i = 0; i < n; i++) {
    const [x, y] = [baseline[i]!, candidate[i]!]
    if (x.operation !== y.operation) break
    aligned(requestOf(x), requestOf(y), (path, vb, vc) => add(noiseKey(path), vb, vc, false))
    if (x.step && x.step === y.step && USER_STATE_STEPS.has(x.step)) {
      aligned(flatOf(x), flatOf(y), (path, vb, vc) => {
        if (path !== 'status' && path !== 'content-type') add(noiseKey(path), vb, vc, true)
      })
    }
  }
  const roles = roleTokens(links)
  const same = (path: string, vb: string, vc: string): boolean => {
    const [b, c] = [raw(vb), raw(vc)]
    if (b.kind !== c.kind) return false
    if (atField.get(noiseKey(path))?.has(`${b.text}\u0000${c.text}`)) return true
    if (INTEGER.test(b.text) && INTEGER.test(c.text) && !/id$/i.test(noiseKey(path)) && counters.has(Number(c.text) - Number(b.text))) return true
    const [rb, rc] = [roles.baseline.get(b.text), roles.candidate.get(c.text)]
    if (rb !== undefined && rb === rc) return true
    const [tb, tc] = [roles.replace(b.text, 'baseline'), roles.replace(c.text, 'candidate')]
    return tb !== b.text && tb === tc
  }
  return { same, pairs: new Set(links.map(([b, c]) => `${b}\u0000${c}`)).size }
}

function requestOf(a: RecordedAnswer): Flat {
  return a.request ? flattenRequest({ path: a.path, contentType: a.request.contentType, body: a.request.body }) : new Map()
}

function aligned(x: Flat, y: Flat, each: (path: string, vx: string, vy: string) => void): void {
  for (const [path, vx] of x) {
    const vy = y.get(path)
    if (vy !== undefined) each(path, vx, vy)
  }
}

/**
 * Each user datum as its role: the pairs linked into groups (a value of one side with every value the other side had
 * in its place; most groups are one pair), a group being one role. `replace` puts each role for the user data found
 * inside a text, longest first (a login inside an e-mail address).
 */
function roleTokens(links: Array<[string, string]>) {
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    let root = x
    while (parent.get(root) !== root) root = parent.get(root)!
    parent.set(x, root)
    return root
  }
  for (const [b, c] of links) {
    for (const v of [`b${b}`, `c${c}`]) if (!parent.has(v)) parent.set(v, v)
    const [rb, rc] = [find(`b${b}`), find(`c${c}`)]
    if (rb !== rc) parent.set(rb, rc)
  }
  // A role as one character of a private-use plane: no user datum can match inside it.
  const ids = new Map<string, string>()
  const baseline = new Map<string, string>()
  const candidate = new Map<string, string>()
  for (const v of parent.keys()) {
    const root = find(v)
    if (!ids.has(root)) ids.set(root, String.fromCodePoint(0xF0000 + ids.size))
    ;(v.startsWith('b') ? baseline : candidate).set(v.slice(1), ids.get(root)!)
  }
  const patterns = (side: Map<string, string>) => [...side]
    .filter(([v]) => [...v].length >= MIN_EMBEDDED)
    .sort(([x], [y]) => y.length - x.length)
    .map(([v, role]) => ({ re: new RegExp(INTEGER.test(v) ? `(?<!\\d)${escapeRegex(v)}(?!\\d)` : escapeRegex(v), 'gu'), role }))
  const embedded = { baseline: patterns(baseline), candidate: patterns(candidate) }
  return {
    baseline,
    candidate,
    replace(text: string, side: 'baseline' | 'candidate'): string {
      let out = text
      for (const { re, role } of embedded[side]) out = out.replace(re, role)
      return out
    },
  }
}

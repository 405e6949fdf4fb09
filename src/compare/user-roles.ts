import { flattenRequest, type Flat } from './flatten.ts'
import { flatOf, shapeOf } from './noise.ts'
import type { RecordedAnswer, UserRecord } from './run-record.ts'

/**
 * Pure. Two targets never have the same users: the embedded reference provisions fresh ones for every check, a staging
 * system lends its fixture accounts, another vendor has others again. A check plays the same roles on both (the
 * caller, the user it updates, a user of another mailbox), so the user data in its answers (logins, IDs, e-mails,
 * names, what the user's record held before the check) differ between the targets without any behaviour differing.
 *
 * The roles are read from the check itself, step by step (both sides ran the same steps; how many exchanges a step
 * made may differ, since a run may reuse a session or what it last verified of a fixture account):
 * - what it sent: the same value on both sides is the check's own data (a new e-mail from the seed); a value that
 *   differs at the same place of the same request names a user (a login, an ID in a URL);
 * - what it found before it acted: the answers of its `authenticate` and `snapshot` steps where it made them, field
 *   by field, and the users the run knew as records (provisioned by the reference; a fixture account's state from the
 *   restore journal), one side's record linked to the other's when the check named both at the same place.
 * Each such pair (baseline value, candidate value) is the same role's datum. A difference in a later answer is user
 * data when it is such a pair at the same field, or when the two values are the same text once each side's user data
 * is replaced by its role. Anything else (a status, a fault code, a field only one side has, a JSON type, a value the
 * check sent coming back changed, another user's data where the baseline names this one) still differs.
 */

/** Steps whose answers are the users as the check found them, before it did anything. */
const USER_STATE_STEPS = new Set(['authenticate', 'snapshot'])

/** Values too short or too common to be told apart inside a longer text (`1`, `0`, `""`). */
const MIN_EMBEDDED = 3

/** One side of a check: its exchanges and its users as the run knew them before it acted. */
export interface RoleSide {
  answers: RecordedAnswer[]
  setup?: RecordedAnswer[]
  users?: UserRecord[]
}

export interface UserRoles {
  /** Whether the two values at `path` of an answer are the same role's user data. */
  same(path: string, baseline: string, candidate: string): boolean
  /**
   * Whether the two values, at `path` of an answer that describes a user (another of its fields is `same`), are that
   * user's history rather than behaviour: a field neither side knew before the check acted (a last logon, a count of
   * open sessions: a run that reuses what it last verified of an account does not read it again), not a value the
   * check sent, and of one format (or empty on one side: it never happened to a fresh user).
   */
  history(path: string, baseline: string, candidate: string): boolean
  /**
   * Whether the two values are a count of the user's own (open sessions) that both sides knew before the check and that
   * moved alike since (1 → 0 on one side, 31 → 30 on the other): `same`, and a move other answers may show too.
   */
  moved(path: string, baseline: string, candidate: string): boolean
  /** How many distinct pairs of user data the check showed (for tests and reports). */
  readonly pairs: number
}

/** A flattened value without its JSON quotes; `kind` keeps `"7"` and `7` apart. */
function raw(value: string): { kind: 'string' | 'literal'; text: string } {
  if (value.startsWith('"')) {
    try {
      return { kind: 'string', text: JSON.parse(value) as string }
    } catch {
      /* not a JSON string after all */
    }
  }
  return { kind: 'literal', text: value }
}

/** A field by its name wherever it stands: `$.data.userId`, `/…/User/@UserID` and a record's `userId` are one field. */
export function fieldKey(path: string): string {
  return (path.split(/[./]/).pop() ?? path)
    .replace(/\[\d+\]$/, '')
    .replace(/^@/, '')
    .toLowerCase()
}

const INTEGER = /^-?\d+$/
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const isId = (key: string) => /id$/.test(key)

export function userRoles(baseline: RoleSide | RecordedAnswer[], candidate: RoleSide | RecordedAnswer[]): UserRoles {
  const [b, c] = [sideOf(baseline), sideOf(candidate)]
  const atField = new Map<string, Set<string>>()
  const links: Array<[string, string]> = []
  const sent: Array<[string, string]> = []
  // Per field, how far apart the two sides' counts of the user's own were before the check.
  const counters = new Map<string, Set<number>>()
  // Fields whose value before the check both sides knew: compared exactly, never as history.
  const known = new Set<string>()
  // Values the check sent alike on both sides: its own data, which must come back as sent.
  const own = new Set<string>()
  const add = (key: string, vb: string, vc: string, state: boolean) => {
    const [x, y] = [raw(vb).text, raw(vc).text]
    if (state) known.add(key)
    if (x === y) return
    if (state) {
      const set = atField.get(key) ?? new Set<string>()
      set.add(`${x}\u0000${y}`)
      atField.set(key, set)
      // A count of the user's own (open sessions): what the check does to it moves it alike on both sides.
      if (INTEGER.test(x) && INTEGER.test(y) && !isId(key)) counters.set(key, (counters.get(key) ?? new Set()).add(Number(y) - Number(x)))
    }
    links.push([x, y])
  }
  // Exchanges are paired within the same step of the check: how many a step made can differ by target (a login the
  // run could reuse, a user it already knew), what each made cannot.
  for (const [step, xs] of byStep([...b.setup, ...b.answers])) {
    const ys = byStep([...c.setup, ...c.answers]).get(step) ?? []
    for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
      const [x, y] = [xs[i]!, ys[i]!]
      if (x.operation !== y.operation) break
      aligned(requestOf(x), requestOf(y), (path, vb, vc) => {
        add(fieldKey(path), vb, vc, false)
        sent.push([raw(vb).text, raw(vc).text])
        if (vb === vc && raw(vb).text !== '') own.add(raw(vb).text)
      })
      if (x.step && USER_STATE_STEPS.has(x.step)) {
        aligned(flatOf(x), flatOf(y), (path, vb, vc) => {
          if (path !== 'status' && path !== 'content-type') add(fieldKey(path), vb, vc, true)
        })
      }
    }
  }
  // Users known as records (provisioned, or as the run last verified them): one side's record is the other's when
  // both were named at the same place of the same request; then each of their fields is a pair.
  for (const [rb, rc] of linkedRecords(b.records, c.records, sent)) {
    for (const [k, vb] of Object.entries(rb)) {
      const vc = rc[k]
      if (vc !== undefined) add(k, vb, vc, true)
    }
  }
  const roles = roleTokens(links)
  const moved = (path: string, vb: string, vc: string): boolean => {
    const [x, y] = [raw(vb), raw(vc)]
    return (
      x.kind === y.kind &&
      INTEGER.test(x.text) &&
      INTEGER.test(y.text) &&
      x.text !== y.text &&
      // The values before the check are not a move.
      !atField.get(fieldKey(path))?.has(`${x.text}\u0000${y.text}`) &&
      counters.get(fieldKey(path))?.has(Number(y.text) - Number(x.text)) === true
    )
  }
  const same = (path: string, vb: string, vc: string): boolean => {
    const [x, y] = [raw(vb), raw(vc)]
    if (x.kind !== y.kind) return false
    if (atField.get(fieldKey(path))?.has(`${x.text}\u0000${y.text}`)) return true
    if (moved(path, vb, vc)) return true
    const [tx, ty] = [roles.baseline.get(x.text), roles.candidate.get(y.text)]
    if (tx !== undefined && tx === ty) return true
    const [ex, ey] = [roles.replace(x.text, 'baseline'), roles.replace(y.text, 'candidate')]
    return ex !== x.text && ex === ey
  }
  const history = (path: string, vb: string, vc: string): boolean => {
    const [x, y] = [raw(vb), raw(vc)]
    const key = fieldKey(path)
    if (x.kind !== y.kind || known.has(key) || isId(key) || own.has(x.text) || own.has(y.text)) return false
    return x.text === '' || y.text === '' || shapeOf(x.text) === shapeOf(y.text)
  }
  return { same, history, moved, pairs: new Set(links.map(([x, y]) => `${x}\u0000${y}`)).size }
}

function sideOf(side: RoleSide | RecordedAnswer[]): { answers: RecordedAnswer[]; setup: RecordedAnswer[]; records: UserRecord[] } {
  const s = Array.isArray(side) ? { answers: side } : side
  const setup = s.setup ?? []
  // A read of a user before the check acted is a record too: the other side may know the same user without a read.
  const read = [...setup, ...s.answers]
    .filter((a) => a.step && USER_STATE_STEPS.has(a.step))
    .map((a) => {
      const r: UserRecord = {}
      for (const [path, v] of flatOf(a)) if (path !== 'status' && path !== 'content-type') r[fieldKey(path)] ??= raw(v).text
      return r
    })
  const known = (s.users ?? []).map((u) => Object.fromEntries(Object.entries(u).map(([k, v]) => [fieldKey(k), v])))
  return { answers: s.answers, setup, records: [...known, ...read] }
}

function byStep(answers: RecordedAnswer[]): Map<number, RecordedAnswer[]> {
  const out = new Map<number, RecordedAnswer[]>()
  for (const a of answers) out.set(a.stepIndex ?? -1, [...(out.get(a.stepIndex ?? -1) ?? []), a])
  return out
}

/** Record pairs named by one sent pair each: a value only one record of its side holds (a login, an ID). */
function linkedRecords(bs: UserRecord[], cs: UserRecord[], sent: Array<[string, string]>): Array<[UserRecord, UserRecord]> {
  const holders = (records: UserRecord[], v: string) => records.filter((r) => Object.values(r).includes(v))
  const out: Array<[UserRecord, UserRecord]> = []
  for (const [vb, vc] of sent) {
    if (vb === '' || vc === '') continue
    const [hb, hc] = [holders(bs, vb), holders(cs, vc)]
    // Several records of one user (provisioned, then read) all hold its login.
    const [ub, uc] = [unique(hb), unique(hc)]
    if (ub && uc) for (const rb of hb) for (const rc of hc) out.push([rb, rc])
  }
  return out
}

/** Whether the records are all of one user: they agree on every field they share. */
function unique(records: UserRecord[]): boolean {
  if (records.length === 0) return false
  return records.every((r) => Object.entries(r).every(([k, v]) => records.every((o) => o[k] === undefined || o[k] === v)))
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
    if (!ids.has(root)) ids.set(root, String.fromCodePoint(0xf0000 + ids.size))
    ;(v.startsWith('b') ? baseline : candidate).set(v.slice(1), ids.get(root)!)
  }
  const patterns = (side: Map<string, string>) =>
    [...side]
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

/**
 * The regular expressions a spec may write in `{ pattern: … }`, parsed as JavaScript reads them without flags, into a
 * tree that regex-nfa.ts runs in linear time. The constructs a linear-time engine cannot run (backreferences,
 * lookarounds) are refused, and so are the obscure legacy forms (octal escapes, `\q` for `q`), which are far likelier
 * to be a mistake than meant.
 */

/** One UTF-16 code unit out of a set: ranges [lo, hi, lo, hi, …]; `negated` takes the complement. */
export interface UnitSet {
  ranges: number[]
  negated: boolean
}

export type RegexNode =
  | { t: 'unit'; sets: UnitSet[]; negated: boolean }
  | { t: 'seq'; items: RegexNode[] }
  | { t: 'alt'; items: RegexNode[] }
  | { t: 'repeat'; node: RegexNode; min: number; max: number }
  | { t: 'assert'; kind: '^' | '$' | 'b' | 'B' }

export class RegexUnsupported extends Error {
  /** Where in the pattern (0-based, in UTF-16 code units). */
  readonly offset: number
  constructor(message: string, offset: number) {
    super(message)
    this.name = 'RegexUnsupported'
    this.offset = offset
  }
}

/** Counts beyond this in {n,m} are refused: each one is a copy of what it repeats. */
export const MAX_REPEAT = 1000

const set = (ranges: number[], negated = false): UnitSet => ({ ranges, negated })
const DIGIT = set([0x30, 0x39])
const WORD = set([0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a])
const SPACE = set([
  0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff,
])
const LINE_TERMINATORS = [0x0a, 0x0a, 0x0d, 0x0d, 0x2028, 0x2029]
const CLASS_ESCAPES: Record<string, UnitSet> = {
  d: DIGIT,
  D: { ...DIGIT, negated: true },
  w: WORD,
  W: { ...WORD, negated: true },
  s: SPACE,
  S: { ...SPACE, negated: true },
}
const CONTROL: Record<string, number> = { f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b }
const unit = (code: number): RegexNode => ({ t: 'unit', sets: [set([code, code])], negated: false })

export function inSet(s: UnitSet, code: number): boolean {
  let inside = false
  for (let i = 0; i < s.ranges.length && !inside; i += 2) inside = code >= s.ranges[i]! && code <= s.ranges[i + 1]!
  return inside !== s.negated
}

/** Throws RegexUnsupported for what the engine does not run; the pattern must already compile as a RegExp. */
export function parseRegex(src: string): RegexNode {
  return new Parser(src).parse()
}

type ClassAtom = { code: number } | { set: UnitSet }

class Parser {
  private i = 0
  private readonly src: string
  constructor(src: string) {
    this.src = src
  }

  parse(): RegexNode {
    const node = this.alternation()
    if (this.i < this.src.length) throw this.fail('an unmatched ")"')
    return node
  }

  private fail(message: string, at = this.i): RegexUnsupported {
    return new RegexUnsupported(message, at)
  }

  private alternation(): RegexNode {
    const items = [this.sequence()]
    while (this.src[this.i] === '|') {
      this.i++
      items.push(this.sequence())
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items }
  }

  private sequence(): RegexNode {
    const items: RegexNode[] = []
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') items.push(this.quantified())
    return items.length === 1 ? items[0]! : { t: 'seq', items }
  }

  private quantified(): RegexNode {
    const start = this.i
    const node = this.atom()
    const at = this.i
    const q = this.quantifier()
    if (!q) return node
    if (q.min > MAX_REPEAT || (q.max !== Infinity && q.max > MAX_REPEAT)) throw this.fail(`a count above ${MAX_REPEAT} in {…}`, at)
    if (q.max < q.min) throw this.fail('{n,m} with m below n', start)
    return { t: 'repeat', node, min: q.min, max: q.max }
  }

  /** `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each maybe lazy (`?` after it: the same matches for a test). */
  private quantifier(): { min: number; max: number } | undefined {
    const c = this.src[this.i]
    let q: { min: number; max: number } | undefined
    if (c === '*') q = { min: 0, max: Infinity }
    else if (c === '+') q = { min: 1, max: Infinity }
    else if (c === '?') q = { min: 0, max: 1 }
    if (q) this.i++
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i))
      if (!m) return undefined
      this.i += m[0].length
      const min = Number(m[1])
      q = { min, max: m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]) }
    } else return undefined
    if (this.src[this.i] === '?') this.i++
    return q
  }

  private atom(): RegexNode {
    const c = this.src[this.i]!
    switch (c) {
      case '^':
      case '$':
        this.i++
        return { t: 'assert', kind: c }
      case '.':
        this.i++
        return { t: 'unit', sets: [set(LINE_TERMINATORS, true)], negated: false }
      case '(':
        return this.group()
      case '[':
        return this.characterClass()
      case '\\':
        return this.escape()
      case '*':
      case '+':
      case '?':
        throw this.fail(`nothing before "${c}" to repeat`)
      case '{':
        if (/^\{\d+(,\d*)?\}/.test(this.src.slice(this.i))) throw this.fail('nothing before "{…}" to repeat')
        break
    }
    this.i++
    return unit(c.charCodeAt(0))
  }

  private group(): RegexNode {
    const start = this.i
    this.i++
    if (this.src.startsWith('?:', this.i)) this.i += 2
    else if (/^\?<[=!]/.test(this.src.slice(this.i)) || /^\?[=!]/.test(this.src.slice(this.i))) {
      throw this.fail('lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported: they cannot be matched in linear time', start)
    } else if (this.src.startsWith('?<', this.i)) {
      const close = this.src.indexOf('>', this.i)
      if (close < 0) throw this.fail('an unfinished group name', start)
      this.i = close + 1
    } else if (this.src[this.i] === '?') throw this.fail('(?…) other than (?:…) and (?<name>…) is not supported', start)
    const body = this.alternation()
    if (this.src[this.i] !== ')') throw this.fail('an unclosed "("', start)
    this.i++
    return body
  }

  private escape(): RegexNode {
    const c = this.src[this.i + 1]
    if (c === 'b' || c === 'B') {
      this.i += 2
      return { t: 'assert', kind: c }
    }
    const a = this.escapeValue(false)
    return 'set' in a ? { t: 'unit', sets: [a.set], negated: false } : unit(a.code)
  }

  /** After a backslash (at this.i), in or out of a class: one code unit or a set. */
  private escapeValue(inClass: boolean): ClassAtom {
    const start = this.i
    const c = this.src[this.i + 1]
    this.i += 2
    if (c === undefined) throw this.fail('a "\\" at the end of the pattern', start)
    const cls = CLASS_ESCAPES[c]
    if (cls) return { set: cls }
    if (CONTROL[c] !== undefined) return { code: CONTROL[c] }
    if (c === 'b' && inClass) return { code: 0x08 }
    if (c === '0' && !/[0-9]/.test(this.src[this.i] ?? '')) return { code: 0 }
    if (/[0-9]/.test(c)) throw this.fail(`\\${c} is a backreference or an octal escape: neither is supported (write \\x.. for a character code)`, start)
    if (c === 'k') throw this.fail('\\k<…> backreferences are not supported: they cannot be matched in linear time', start)
    if (c === 'c') {
      const letter = this.src[this.i]
      if (!letter || !/[A-Za-z]/.test(letter)) throw this.fail('\\c must be followed by a letter', start)
      this.i++
      return { code: letter.charCodeAt(0) % 32 }
    }
    if (c === 'x' || c === 'u') {
      const digits = c === 'x' ? 2 : 4
      const hex = this.src.slice(this.i, this.i + digits)
      if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) throw this.fail(`\\${c} must be followed by ${digits} hex digits`, start)
      this.i += digits
      return { code: parseInt(hex, 16) }
    }
    if (/[A-Za-z0-9_]/.test(c)) throw this.fail(`\\${c} is not an escape (write ${c} alone for the letter)`, start)
    return { code: c.charCodeAt(0) }
  }

  private characterClass(): RegexNode {
    const start = this.i
    this.i++
    const negated = this.src[this.i] === '^'
    if (negated) this.i++
    const sets: UnitSet[] = []
    const add = (a: ClassAtom) => sets.push('set' in a ? a.set : set([a.code, a.code]))
    while (this.src[this.i] !== ']') {
      if (this.i >= this.src.length) throw this.fail('an unclosed "["', start)
      const from = this.classAtom()
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        const dash = this.i
        this.i++
        const to = this.classAtom()
        if ('code' in from && 'code' in to) {
          if (to.code < from.code) throw this.fail('a range out of order', dash)
          sets.push(set([from.code, to.code]))
        } else {
          // [\d-z]: a class escape cannot bound a range, so the "-" is itself a member.
          add(from)
          add({ code: 0x2d })
          add(to)
        }
      } else add(from)
    }
    this.i++
    return { t: 'unit', sets, negated }
  }

  private classAtom(): ClassAtom {
    if (this.src[this.i] === '\\') {
      if (this.src[this.i + 1] === '-') {
        this.i += 2
        return { code: 0x2d }
      }
      return this.escapeValue(true)
    }
    return { code: this.src.charCodeAt(this.i++) }
  }
}

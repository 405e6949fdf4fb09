/**
 * `${…}` values: a reference to fixtures, variables, earlier answers or seeded fake data.
 * A deliberately tiny language (paths only, no operators), parsed once and never `eval`ed.
 *
 *   ${jane.email}   ${vars.newEmail}   ${fake.email}   ${answers.GetUser.User.Email}   ${env:IR_PASSWORD}
 *   "prefix-${fake.word}"  (interpolation: the parts are joined as text)     $${ writes a literal ${
 */

export interface RefPart {
  kind: 'ref'
  path: string[]
  offset: number
  source: string
}
export interface TextPart {
  kind: 'text'
  text: string
}
/**
 * A parsed `${…}` value. Specs and API descriptions hold their templates in this form from the moment they are loaded
 * (src/spec/): the engine evaluates them, it never parses.
 */
export class Template {
  readonly source: string
  readonly parts: ReadonlyArray<RefPart | TextPart>
  constructor(source: string, parts: ReadonlyArray<RefPart | TextPart>) {
    this.source = source
    this.parts = parts
  }
}

export class ExpressionError extends Error {
  readonly offset: number
  constructor(message: string, offset: number) {
    super(message)
    this.name = 'ExpressionError'
    this.offset = offset
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Whether a string is a template (it holds a `${…}`, or a `$${` escape, which holds one too) rather than a literal. */
export function hasTemplate(value: string): boolean {
  return value.includes('${')
}

/** Parses a string with `${…}` references; throws ExpressionError with the offset of the mistake. */
export function parseTemplate(source: string): Template {
  const parts: Array<RefPart | TextPart> = []
  let text = ''
  let i = 0
  while (i < source.length) {
    if (source.startsWith('$${', i)) {
      text += '${'
      i += 3
      continue
    }
    if (!source.startsWith('${', i)) {
      text += source[i]
      i += 1
      continue
    }
    const end = source.indexOf('}', i + 2)
    if (end < 0) throw new ExpressionError(`unclosed "\${" (expected "}")`, i)
    const inner = source.slice(i + 2, end).trim()
    if (text) {
      parts.push({ kind: 'text', text })
      text = ''
    }
    parts.push({ kind: 'ref', path: parsePath(inner, i), offset: i, source: source.slice(i, end + 1) })
    i = end + 1
  }
  if (text || parts.length === 0) parts.push({ kind: 'text', text })
  return new Template(source, parts)
}

function parsePath(inner: string, offset: number): string[] {
  if (!inner) throw new ExpressionError('empty "${}" (expected a reference such as ${jane.email})', offset)
  const env = /^env:(.*)$/.exec(inner)
  if (env) {
    const name = env[1] ?? ''
    if (!ENV_NAME.test(name)) throw new ExpressionError(`"${inner}" is not an environment variable name`, offset)
    return ['env:', name]
  }
  const path: string[] = []
  for (const raw of inner.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(raw)
    const name = m?.[1] ?? ''
    if (!m || !IDENT.test(name)) {
      throw new ExpressionError(`"${inner}" is not a reference (expected names joined by dots, e.g. jane.email; no operators or calls)`, offset)
    }
    path.push(name)
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) path.push(idx[1] ?? '0')
  }
  return path
}

/**
 * A loaded value tree with every template string parsed (literal strings, numbers, markers unchanged). The tree must
 * have been checked (src/spec/templates.ts): a template that does not parse throws.
 */
export function compileTemplates<T>(value: T): T {
  if (typeof value === 'string') return (hasTemplate(value) ? parseTemplate(value) : value) as T
  if (Array.isArray(value)) return value.map((v) => compileTemplates(v)) as T
  if (value && typeof value === 'object' && !Object.isFrozen(value) && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compileTemplates(v)])) as T
  }
  return value
}

/** A loaded value, evaluated: a template's value, anything else as it is. */
export function evaluateValue(value: unknown, resolve: Resolver): unknown {
  return value instanceof Template ? evaluate(value, resolve) : value
}

export function refsOf(t: Template): RefPart[] {
  return t.parts.filter((p): p is RefPart => p.kind === 'ref')
}

/** Adds to `into` each field F a value names as `${<root>.F}`, `root` one of `roots`: in templates, arrays and objects. */
export function fieldsReferenced(value: unknown, roots: ReadonlySet<string>, into: Set<string> = new Set()): Set<string> {
  if (value instanceof Template) {
    for (const r of refsOf(value)) if (roots.has(r.path[0] ?? '') && r.path[1]) into.add(r.path[1])
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) fieldsReferenced(v, roots, into)
  }
  return into
}

/** Looks up a path; returns `undefined` when it leads nowhere. */
export type Resolver = (path: string[]) => unknown

export class EvaluationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'EvaluationError'
  }
}

/** A template that is exactly one reference yields that value unchanged (a number, !nil, …); otherwise text. */
export function evaluate(t: Template, resolve: Resolver): unknown {
  const only = t.parts.length === 1 ? t.parts[0] : undefined
  if (only?.kind === 'ref') return lookup(only, resolve)
  let out = ''
  for (const p of t.parts) {
    if (p.kind === 'text') {
      out += p.text
      continue
    }
    const v = lookup(p, resolve)
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new EvaluationError(`${p.source} is not text and cannot be joined into "${t.source}"`)
    }
    out += String(v)
  }
  return out
}

function lookup(p: RefPart, resolve: Resolver): unknown {
  const v = resolve(p.path)
  if (v === undefined) throw new EvaluationError(`${p.source} has no value`)
  return v
}

/** Resolves a path through plain objects and arrays. */
export function walk(root: unknown, path: readonly string[]): unknown {
  let cur: unknown = root
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = Object.hasOwn(cur, seg) ? (cur as Record<string, unknown>)[seg] : undefined
  }
  return cur
}

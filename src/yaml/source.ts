import { isUtf8 } from 'node:buffer'
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { createRequire } from 'node:module'
import type { Document, LineCounter, ScalarTag } from 'yaml'
import { ConformError, SpecErrors, type SourceLocation } from '../errors.ts'
import { readCachedParse, writeCachedParse, type Positions } from './parse-cache.ts'

export type { Positions }

/** `!nil` sends xsi:nil="true" (SOAP); `!omit` leaves the parameter out of the request. */
export const NIL = Object.freeze({ $nil: true as const })
export const OMIT = Object.freeze({ $omit: true as const })
export type Nil = typeof NIL
export type OmitMarker = typeof OMIT
export const isNil = (v: unknown): v is Nil => typeof v === 'object' && v !== null && (v as Nil).$nil === true
export const isOmit = (v: unknown): v is OmitMarker => typeof v === 'object' && v !== null && (v as OmitMarker).$omit === true

const nilTag: ScalarTag = { tag: '!nil', identify: (v) => v === NIL, resolve: () => NIL as never }
const omitTag: ScalarTag = { tag: '!omit', identify: (v) => v === OMIT, resolve: () => OMIT as never }

// The yaml library only when a file is parsed: with every file in the parse cache, a process never loads it.
let yamlLibrary: typeof import('yaml') | undefined
const yaml = (): typeof import('yaml') => (yamlLibrary ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'))

export type Path = ReadonlyArray<string | number>

/** Offset of the last `[` or `{` before `end` that is not closed, skipping quoted text and comments. */
export function unclosedBracket(text: string, end: number): number | undefined {
  const open: number[] = []
  for (let i = 0; i < end; i++) {
    const c = text[i]
    if (c === '"' || c === "'") {
      let close = text.indexOf(c, i + 1)
      while (c === '"' && close > 0 && text[close - 1] === '\\') close = text.indexOf(c, close + 1)
      if (close < 0 || close >= end) break
      i = close
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const eol = text.indexOf('\n', i)
      i = eol < 0 ? end : eol
    } else if (c === '[' || c === '{') open.push(i)
    else if (c === ']' || c === '}') open.pop()
  }
  return open.at(-1)
}

/** A parsed YAML file that can say where any value in it came from. */
export class SourceFile {
  readonly file: string
  readonly data: unknown
  /** Either the parsed document (a fresh parse) or the positions it had (a parse read back from the cache). */
  private readonly parsed: { doc: Document; lines: LineCounter } | { positions: Positions }
  /** The text of a fresh parse read with `cache: false`, until `keep()` puts it in the cache. */
  private unkept: string | undefined

  private constructor(file: string, parsed: SourceFile['parsed'], data: unknown) {
    this.file = file
    this.parsed = parsed
    this.data = data
  }

  /** Whether the file came back from the parse cache (its positions, not its document). */
  get fromCache(): boolean {
    return 'positions' in this.parsed
  }

  /** Parses YAML; syntax errors become ConformErrors with file:line:column. */
  static parse(text: string, file: string): SourceFile {
    const { LineCounter, parseDocument, visit } = yaml()
    const lines = new LineCounter()
    const doc = parseDocument(text, { lineCounter: lines, customTags: [nilTag, omitTag], uniqueKeys: true, prettyErrors: true })
    const first = doc.errors[0]
    if (first) {
      // Later errors are almost always a cascade of the first; one precise message beats fifty.
      // The parser notices an unclosed [ or { only where the next line starts; the mistake is the bracket.
      const opener = /end with a [\]}]/.test(first.message) ? unclosedBracket(text, first.pos[0]) : undefined
      const pos = opener === undefined ? first.linePos?.[0] : lines.linePos(opener)
      const line = text.split('\n')[(pos?.line ?? 1) - 1] ?? ''
      const hint = /[{[][^}\]]*\$\{/.test(line) ? ' (hint: quote a value that contains ${…} inside { } or [ ], e.g. "${fake.uuid}")' : ''
      const message = /call stack/i.test(first.message)
        ? 'the YAML is nested too deeply'
        : first.code === 'MULTIPLE_DOCS'
          ? 'the file holds more than one YAML document (a second "---"): one per file'
          : (first.message.split('\n')[0] ?? first.message).replace(/ at line \d+, column \d+:?$/, '')
      throw new SpecErrors([
        new ConformError('YAML_SYNTAX', 'spec', `${message}${hint}`, {
          file,
          line: pos?.line ?? 1,
          column: pos?.col ?? 1,
        }),
      ])
    }
    for (const w of doc.warnings) {
      if (w.code === 'TAG_RESOLVE_FAILED') {
        const pos = w.linePos?.[0]
        throw new SpecErrors([
          new ConformError(
            'YAML_UNKNOWN_TAG',
            'spec',
            `${(w.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')} (known tags: !nil, !omit)`,
            {
              file,
              line: pos?.line ?? 1,
              column: pos?.col ?? 1,
            },
          ),
        ])
      }
    }
    let data: unknown
    try {
      data = doc.toJS({ maxAliasCount: 100 })
    } catch (e) {
      // Aliases are resolved only here: an unknown anchor or an alias bomb. Point at the (first such) alias.
      const message = (e as Error).message
      let at: number | undefined
      visit(doc, {
        Alias: (_, node) => {
          if (at === undefined && (!/Unresolved alias/.test(message) || message.endsWith(`: ${node.source}`))) at = node.range?.[0]
          return at === undefined ? undefined : visit.BREAK
        },
      })
      const { line, col } = lines.linePos(at ?? 0)
      throw new SpecErrors([new ConformError('YAML_ALIAS', 'spec', message.replace(/ \(the anchor .*\)/, ''), { file, line, column: col })])
    }
    return new SourceFile(file, { doc, lines }, data)
  }

  /**
   * Reads a file that must be UTF-8: a stray Latin-1 byte would otherwise slip in as U+FFFD. `cache: false`: a parse
   * kept before is still used (reading an entry copies nothing), but a fresh one is kept only by `keep()`, once the
   * caller has accepted what the file holds.
   */
  static read(absPath: string, root: string, opts: { cache?: boolean } = {}): SourceFile {
    const file = relative(root, absPath) || absPath
    const bytes = readFileSync(absPath)
    const text = bytes.toString('utf8')
    if (!isUtf8(bytes)) {
      const before = text.slice(0, Math.max(0, text.indexOf('\uFFFD'))).split('\n')
      throw new SpecErrors([
        new ConformError('NOT_UTF8', 'spec', 'the file is not UTF-8 (save it as UTF-8)', {
          file,
          line: before.length,
          column: (before[before.length - 1]?.length ?? 0) + 1,
        }),
      ])
    }
    // Parsing with every position kept is slow next to everything else a command does at start; a file parsed before
    // comes back from the cache (parse-cache.ts), its data and positions as they were.
    const cached = readCachedParse(text)
    if (cached) return new SourceFile(file, { positions: cached.positions }, markers(cached.data))
    const parsed = SourceFile.parse(text, file)
    parsed.unkept = text
    if (opts.cache !== false) parsed.keep()
    return parsed
  }

  /** Puts a fresh parse read with `cache: false` in the cache, as it was parsed (call it before changing `data`). */
  keep(): void {
    if (this.unkept === undefined) return
    writeCachedParse(this.unkept, this.data, this.positions())
    this.unkept = undefined
  }

  /** Where each value of the document is (what `locate` reads): for the cache, and for loaded specs to keep. */
  positions(): Positions {
    if ('positions' in this.parsed) return this.parsed.positions
    const { doc, lines } = this.parsed
    const { isMap, isNode, isPair, isScalar } = yaml()
    const out: Positions = {}
    const at = (node: unknown): [number, number] => {
      const { line, col } = lines.linePos((isNode(node) ? node.range?.[0] : undefined) ?? 0)
      return [line, col]
    }
    const walk = (node: unknown, path: Array<string | number>) => {
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isPair(pair) || !isScalar(pair.key)) continue
          const seg = pair.key.value
          // Keys a path can name (locate compares them with ===); the first of equal keys, as locate's find has it.
          if (typeof seg !== 'string' && typeof seg !== 'number') continue
          const inner = [...path, seg]
          const key = JSON.stringify(inner)
          if (key in out) continue
          const [line, col] = at(pair.value ?? pair.key)
          const [keyLine, keyCol] = at(pair.key)
          out[key] = [line, col, keyLine, keyCol]
          walk(pair.value, inner)
        }
      } else if (node && typeof node === 'object' && 'items' in node) {
        ;(node as { items: unknown[] }).items.forEach((item, i) => {
          if (!item) return
          const [line, col] = at(item)
          out[JSON.stringify([...path, i])] = [line, col, line, col]
          walk(item, [...path, i])
        })
      }
    }
    const [line, col] = at(doc.contents)
    out['[]'] = [line, col, line, col]
    walk(doc.contents, [])
    return out
  }

  /** The position of the value at `path`; `key: true` points at the key of the last segment instead. */
  locate(path: Path, opts: { key?: boolean } = {}): SourceLocation {
    if ('positions' in this.parsed) return this.locateIn(this.parsed.positions, path, opts)
    const { doc, lines } = this.parsed
    const { isMap, isNode, isPair, isScalar } = yaml()
    let node: unknown = doc.contents
    let last: unknown = node
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === seg)
        if (!pair) break
        last = opts.key && seg === path[path.length - 1] ? pair.key : (pair.value ?? pair.key)
        node = pair.value
      } else if (node && typeof node === 'object' && 'items' in node && typeof seg === 'number') {
        const item = (node as { items: unknown[] }).items[seg]
        if (!item) break
        last = item
        node = item
      } else break
    }
    const range = isNode(last) ? last.range : undefined
    const { line, col } = lines.linePos(range?.[0] ?? 0)
    return { file: this.file, line, column: col }
  }

  private locateIn(positions: Positions, path: Path, opts: { key?: boolean }): SourceLocation {
    return locateIn(this.file, positions, path, opts)
  }

  error(code: string, message: string, path: Path, opts: { key?: boolean } = {}): ConformError {
    return new ConformError(code, 'spec', message, this.locate(path, opts))
  }
}

/**
 * The position of the value at `path` (or of its nearest ancestor the document has) in a file's position index: what a
 * loaded spec or API description keeps of its YAML, one lookup per segment.
 */
export function locateIn(file: string, positions: Positions, path: Path, opts: { key?: boolean } = {}): SourceLocation {
  let [line, column] = positions['[]'] ?? [1, 1]
  for (let i = 0; i < path.length; i++) {
    const p = positions[JSON.stringify(path.slice(0, i + 1))]
    if (!p) break
    ;[line, column] = opts.key && path[i] === path[path.length - 1] ? [p[2], p[3]] : [p[0], p[1]]
  }
  return { file, line, column }
}

/** `!nil` and `!omit` come back as the markers themselves (a copy would only look like them). */
function markers(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = markers(value[i])
    return value
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>
    const keys = Object.keys(o)
    if (keys.length === 1 && o.$nil === true) return NIL
    if (keys.length === 1 && o.$omit === true) return OMIT
    for (const k of keys) o[k] = markers(o[k])
  }
  return value
}

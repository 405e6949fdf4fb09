import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document, type ScalarTag } from 'yaml'
import { ConformError, type SourceLocation } from '../errors.ts'

/** `!nil` sends xsi:nil="true" (SOAP); `!omit` leaves the parameter out of the request. */
export const NIL = Object.freeze({ $nil: true as const })
export const OMIT = Object.freeze({ $omit: true as const })
export type Nil = typeof NIL
export type Omit = typeof OMIT
export const isNil = (v: unknown): v is Nil => typeof v === 'object' && v !== null && (v as Nil).$nil === true
export const isOmit = (v: unknown): v is Omit => typeof v === 'object' && v !== null && (v as Omit).$omit === true

const nilTag: ScalarTag = { tag: '!nil', identify: (v) => v === NIL, resolve: () => NIL as never }
const omitTag: ScalarTag = { tag: '!omit', identify: (v) => v === OMIT, resolve: () => OMIT as never }

export type Path = ReadonlyArray<string | number>

/** A parsed YAML file that can say where any value in it came from. */
export class SourceFile {
  readonly file: string
  readonly data: unknown
  private readonly doc: Document
  private readonly lines: LineCounter

  private constructor(file: string, doc: Document, lines: LineCounter, data: unknown) {
    this.file = file
    this.doc = doc
    this.lines = lines
    this.data = data
  }

  /** Parses YAML; syntax errors become ConformErrors with file:line:column. */
  static parse(text: string, file: string): SourceFile {
    const lines = new LineCounter()
    const doc = parseDocument(text, { lineCounter: lines, customTags: [nilTag, omitTag], uniqueKeys: true, prettyErrors: true })
    const first = doc.errors[0]
    if (first) {
      // Later errors are almost always a cascade of the first; one precise message beats fifty.
      const pos = first.linePos?.[0]
      const line = text.split('\n')[(pos?.line ?? 1) - 1] ?? ''
      const hint = /[{[][^}\]]*\$\{/.test(line) ? ' (hint: quote a value that contains ${…} inside { } or [ ], e.g. "${fake.uuid}")' : ''
      throw [new ConformError('YAML_SYNTAX', 'spec', `${first.message.split('\n')[0] ?? first.message}${hint}`, {
        file, line: pos?.line ?? 1, column: pos?.col ?? 1,
      })]
    }
    for (const w of doc.warnings) {
      if (w.code === 'TAG_RESOLVE_FAILED') {
        const pos = w.linePos?.[0]
        throw [new ConformError('YAML_UNKNOWN_TAG', 'spec', `${w.message.split('\n')[0]} (known tags: !nil, !omit)`, {
          file, line: pos?.line ?? 1, column: pos?.col ?? 1,
        })]
      }
    }
    return new SourceFile(file, doc, lines, doc.toJS({ maxAliasCount: 100 }))
  }

  static read(absPath: string, root: string): SourceFile {
    return SourceFile.parse(readFileSync(absPath, 'utf8'), relative(root, absPath) || absPath)
  }

  /** The position of the value at `path`; `key: true` points at the key of the last segment instead. */
  locate(path: Path, opts: { key?: boolean } = {}): SourceLocation {
    let node: unknown = this.doc.contents
    let last: unknown = node
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === seg)
        if (!pair) break
        last = opts.key && seg === path[path.length - 1] ? pair.key : pair.value ?? pair.key
        node = pair.value
      } else if (node && typeof node === 'object' && 'items' in node && typeof seg === 'number') {
        const item = (node as { items: unknown[] }).items[seg]
        if (!item) break
        last = item
        node = item
      } else break
    }
    const range = isNode(last) ? last.range : undefined
    const { line, col } = this.lines.linePos(range?.[0] ?? 0)
    return { file: this.file, line, column: col }
  }

  error(code: string, message: string, path: Path, opts: { key?: boolean } = {}): ConformError {
    return new ConformError(code, 'spec', message, this.locate(path, opts))
  }
}

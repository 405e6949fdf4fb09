import { SpecErrors } from '../../src/errors.ts'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { isNil, isOmit, NIL, OMIT, SourceFile, type Path } from '../../src/yaml/source.ts'
import { cacheEntryOf, YAML_CACHE_DIR } from '../../src/yaml/parse-cache.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const yamlUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.ya?ml$/.test(d.name))
    .map((d) => join(d.parentPath, d.name))

/** Every path the document has, and paths beside them: a missing key, an index where a key is, a key where an index is. */
function pathsOf(value: unknown, at: Array<string | number> = []): Path[] {
  const out: Path[] = [at, [...at, 'no-such-key'], [...at, 0], [...at, '0']]
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...at, i])))
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...at, k]))
  return out
}

const scratch = mkdtempSync(join(tmpdir(), 'conform-yaml-cache-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('the YAML parse cache', () => {
  // The project's specs and the corpus of broken ones (whose mistakes are located through the positions).
  const files = [...yamlUnder(join(ROOT, 'specs')), ...yamlUnder(join(ROOT, 'test/corpus/specs'))]

  test.each(files.map((f) => [f.slice(ROOT.length + 1), f]))('%s: read back from the cache, the same data and every position the same', (_, file) => {
    const text = readFileSync(file, 'utf8')
    let fresh: SourceFile
    let cached: SourceFile
    try {
      fresh = SourceFile.parse(text, 'x.yaml')
      SourceFile.read(file, ROOT)
      cached = SourceFile.read(file, ROOT)
    } catch {
      return // a syntax mistake, or not UTF-8: never cached (the test below)
    }
    expect(cached.fromCache).toBe(true)
    expect(cached.data).toEqual(fresh.data)
    for (const path of pathsOf(fresh.data)) {
      for (const key of [false, true]) {
        expect({ ...cached.locate(path, { key }), file: 'x.yaml' }, `${JSON.stringify(path)} key ${key}`).toEqual(fresh.locate(path, { key }))
      }
    }
  })

  test('!nil and !omit come back as the markers; numeric and string keys stay apart', () => {
    const file = join(scratch, 'tags.yaml')
    writeFileSync(file, `# ${Math.random()}\nuser:\n  email: !nil\n  mobile: !omit\n  list: [a, !nil]\n1: one\n"2": two\n`)
    SourceFile.read(file, scratch)
    const cached = SourceFile.read(file, scratch)
    expect(cached.fromCache).toBe(true)
    const data = cached.data as { user: { email: unknown; mobile: unknown; list: unknown[] } } & Record<string, unknown>
    expect(data.user.email).toBe(NIL)
    expect(data.user.mobile).toBe(OMIT)
    expect(isNil(data.user.list[1]) && !isOmit(data.user.list[1])).toBe(true)
    expect(cached.locate([1]).line).toBe(6)
    expect(cached.locate(['2']).line).toBe(7)
    // No key 2 (a number): where the document starts (line 2, after the comment), as a fresh parse says.
    expect(cached.locate([2]).line).toBe(2)
    expect(SourceFile.parse(readFileSync(file, 'utf8'), 'tags.yaml').locate([2]).line).toBe(2)
  })

  // A config is kept only once loadConfig has accepted it: test/yaml/config-cache.test.ts.
  test('a spec is kept', () => {
    const spec = join(scratch, 'spec.yaml')
    const specText = `# ${Math.random()}\nid: x\n`
    writeFileSync(spec, specText)
    SourceFile.read(spec, scratch)
    expect(existsSync(cacheEntryOf(specText))).toBe(true)
  })

  test('a file with a mistake is parsed every time, and says where', () => {
    const file = join(scratch, 'broken.yaml')
    writeFileSync(file, `# ${Math.random()}\nid: x\nusers: [a, b\ncall: y\n`)
    for (let i = 0; i < 2; i++) {
      let errors: Array<{ code: string; location?: { line: number } }> = []
      try {
        SourceFile.read(file, scratch)
      } catch (e) {
        expect(e).toBeInstanceOf(SpecErrors)
        errors = (e as SpecErrors).errors
      }
      expect(errors[0]?.code).toBe('YAML_SYNTAX')
    }
  })

  test('an entry that cannot be read back (corrupt, truncated) is parsed afresh and replaced', () => {
    const file = join(scratch, 'corrupt.yaml')
    writeFileSync(file, `# ${Math.random()}\na: 1\n`)
    const before = new Set(readdirSync(YAML_CACHE_DIR))
    SourceFile.read(file, scratch)
    const entry = readdirSync(YAML_CACHE_DIR).find((f) => !before.has(f))!
    expect(entry).toBeDefined()
    writeFileSync(join(YAML_CACHE_DIR, entry), 'not a serialized value')
    const again = SourceFile.read(file, scratch)
    expect(again.fromCache).toBe(false)
    expect(again.data).toEqual({ a: 1 })
    expect(SourceFile.read(file, scratch).fromCache).toBe(true)
  })
})

import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { loadConfig, requireEnv } from '../../src/config.ts'
import { SpecErrors } from '../../src/errors.ts'
import { loadProject } from '../../src/project.ts'
import type { Config } from '../../src/spec/model.ts'
import { cacheEntryOf, YAML_CACHE_DIR } from '../../src/yaml/parse-cache.ts'
import { SourceFile, type Path } from '../../src/yaml/source.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const CORPUS = join(ROOT, 'test/corpus/config')
const scratch = mkdtempSync(join(tmpdir(), 'conform-config-cache-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** A config file of these bytes, made unique (a comment at the end) so that no earlier run or test has kept it. */
function write(content: string | Buffer, name = 'conform.config.yaml'): { file: string; text: string } {
  const bytes = Buffer.concat([Buffer.from(content), Buffer.from(`\n# ${randomBytes(8).toString('hex')}\n`)])
  const file = join(mkdtempSync(join(scratch, 'c-')), name)
  writeFileSync(file, bytes)
  return { file, text: bytes.toString('utf8') }
}

const described = (e: { code: string; message: string; location?: { file: string; line: number; column: number } | undefined }): string =>
  `${e.location ? `${e.location.file}:${e.location.line}:${e.location.column} ` : ''}${e.code} ${e.message}`

/** Every error loading the project with this config (loadConfig and the check against the APIs) and requireEnv (no
 * variable set) report, positions and all. */
function errorsOf(file: string): { errors: string[]; config?: Config } {
  let config: Config
  try {
    config = loadProject({ configFile: file }).config
  } catch (e) {
    if (!(e instanceof SpecErrors)) throw e
    return { errors: e.errors.map(described) }
  }
  const errors: string[] = []
  for (const target of Object.keys(config.targets)) {
    try {
      requireEnv(config, target, {})
    } catch (e) {
      if (!(e instanceof SpecErrors)) throw e
      errors.push(...e.errors.map(described))
    }
  }
  return { errors, config }
}

/** Whether any entry of the parse cache holds these bytes. */
const cacheHolds = (needle: string): boolean =>
  readdirSync(YAML_CACHE_DIR).some((f) => {
    try {
      return readFileSync(join(YAML_CACHE_DIR, f)).includes(needle)
    } catch {
      return false // an entry being written by another worker (renamed into place)
    }
  })

/** Every path the document has, and paths beside them: a missing key, an index where a key is, a key where an index is. */
function pathsOf(value: unknown, at: Array<string | number> = []): Path[] {
  const out: Path[] = [at, [...at, 'no-such-key'], [...at, 0], [...at, '0']]
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...at, i])))
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...at, k]))
  return out
}

const CLEAN = `defaultTarget: staging
targets:
  staging:
    limits: { concurrency: 1, timeoutMs: 2000, maxBodyBytes: 100000 }
    referenceControl: { url: "http://127.0.0.1:1/__reference", key: "\${env:CC_CONTROL_KEY}" }
    apis:
      inforouter:
        baseUrl: http://target.invalid
        bindings: [soap11]
        fixtures:
          member:
            - { userName: "\${env:CC_USER}", password: "\${env:CC_PASSWORD}", disposable: true }
            - { userName: "\${env:CC_USER2}", password: "\${env:CC_PASSWORD2}" }
`

describe('a config in the YAML parse cache', () => {
  test('a clean config is kept once the project has accepted it, and read from the cache the second time', () => {
    const { file, text } = write(CLEAN)
    const first = loadConfig(file, scratch)
    expect(first.source?.fromCache).toBe(false)
    // loadConfig alone keeps nothing: the checks against the APIs come after it.
    expect(existsSync(cacheEntryOf(text))).toBe(false)
    loadProject({ configFile: file })
    expect(existsSync(cacheEntryOf(text))).toBe(true)
    const second = loadConfig(file, scratch)
    expect(second.source?.fromCache).toBe(true)
    expect(second).toEqual({ ...first, source: second.source })
  })

  // Each way a credential can be written into the file; the secret is unique to the test, so no entry holds it by chance.
  const secret = `s3cret-${randomBytes(8).toString('hex')}`
  const refused: Array<[string, string]> = [
    ['a fixture password', CLEAN.replace('"${env:CC_PASSWORD2}"', `"${secret}"`)],
    ['a password in the base URL', CLEAN.replace('http://target.invalid', `http://user:${secret}@target.invalid`)],
    ['the control key', CLEAN.replace('"${env:CC_CONTROL_KEY}"', `"${secret}"`)],
    ['a tls passphrase', CLEAN.replace('    apis:\n', `    tls: { cert: client.pem, key: client.key, passphrase: "${secret}" }\n    apis:\n`)],
    // A misspelt key is not recognised as a credential: the check against the API refuses it (UNKNOWN_FIELD).
    ['a password under a misspelt key', CLEAN.replace('password: "${env:CC_PASSWORD2}"', `pasword: "${secret}"`)],
  ]

  test.each(refused)('a config with a literal secret (%s) is refused and leaves no entry in the cache', (_, config) => {
    expect(config).toContain(secret)
    const { file, text } = write(config)
    for (let i = 0; i < 2; i++) {
      let codes: string[] = []
      try {
        loadProject({ configFile: file })
      } catch (e) {
        expect(e).toBeInstanceOf(SpecErrors)
        codes = (e as SpecErrors).errors.map((x) => x.code)
      }
      expect(codes.some((c) => c === 'LITERAL_SECRET' || c === 'UNKNOWN_FIELD')).toBe(true)
    }
    expect(existsSync(cacheEntryOf(text))).toBe(false)
    expect(cacheHolds(secret)).toBe(false)
  })

  test('every error of every config in the corpus is at the same place, read fresh or from the cache', () => {
    let cachedWithErrors = 0
    for (const name of readdirSync(CORPUS).filter((f) => f.endsWith('.yaml'))) {
      const { file } = write(readFileSync(join(CORPUS, name)), name)
      const fresh = errorsOf(file)
      const again = errorsOf(file)
      expect(fresh.errors.length, name).toBeGreaterThan(0)
      expect(again.errors, name).toEqual(fresh.errors)
      expect(fresh.config?.source?.fromCache ?? false, name).toBe(false)
      if (again.config?.source?.fromCache) cachedWithErrors++
    }
    // The configs the project accepts and are wrong only for the environment: their errors above were located from
    // the cache the second time.
    expect(cachedWithErrors).toBeGreaterThanOrEqual(3)
  })

  test('every position of a clean config is the same, read fresh or from the cache', () => {
    const { file, text } = write(CLEAN)
    loadProject({ configFile: file })
    const cached = loadConfig(file, scratch).source!
    expect(cached.fromCache).toBe(true)
    const fresh = SourceFile.parse(text, cached.file)
    expect(cached.data).toEqual(fresh.data)
    for (const path of pathsOf(fresh.data)) {
      for (const key of [false, true]) expect(cached.locate(path, { key }), `${JSON.stringify(path)} key ${key}`).toEqual(fresh.locate(path, { key }))
    }
  })
})

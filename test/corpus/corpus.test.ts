import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { embeddedApiNames } from '../../reference/index.ts'
import { PROJECT_ROOT, SPECS_DIR } from '../../src/paths.ts'
import { conform, type CliResult } from '../helpers/cli.ts'

/**
 * The bad-input corpus: every file under test/corpus/{specs,config} is broken on purpose and says how, in its
 * leading comments:
 *   # expect: CODE at LINE:COL      one line per error it must give (all of them, nothing else)
 *   # commands: check, run          which commands to try (default: check)
 *   # place: behaviours.yaml        specs only: where in a specs folder it goes (default: inforouter/corpus/)
 * Each command must exit 2, print `file:line:col CODE` for every expected error and no other error, and send
 * nothing to the target the config names (a loopback server that counts what reaches it).
 */

const CORPUS = resolve(PROJECT_ROOT, 'test/corpus')
const PLACEHOLDER = 'http://target.invalid'
const APIS = embeddedApiNames()

interface Entry { name: string; path: string; expects: string[]; commands: string[]; place?: string }

function entries(kind: 'specs' | 'config'): Entry[] {
  return readdirSync(join(CORPUS, kind)).filter((f) => f.endsWith('.yaml')).sort().map((name) => {
    const path = join(CORPUS, kind, name)
    const header = readFileSync(path, 'latin1').split('\n').filter((l) => l.startsWith('# '))
    const value = (key: string) => header.filter((l) => l.startsWith(`# ${key}: `)).map((l) => l.slice(key.length + 4).trim())
    const expects = value('expect').map((e) => {
      const m = /^([A-Z0-9_]+) at (\d+):(\d+)$/.exec(e)
      if (!m) throw new Error(`${name}: bad "# expect:" line "${e}"`)
      return `${m[2]}:${m[3]} ${m[1]}`
    })
    if (expects.length === 0) throw new Error(`${name}: no "# expect:" line`)
    const commands = value('commands')[0]?.split(/,\s*/) ?? ['check']
    const place = value('place')[0]
    return { name, path, expects, commands, ...(place ? { place } : {}) }
  })
}

/** A specs folder: the real catalogue and API descriptions, plus the given files at the given places. */
function specsFolder(files: Array<{ from: string; to: string }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'conform-corpus-'))
  cpSync(resolve(SPECS_DIR, 'behaviours.yaml'), join(dir, 'behaviours.yaml'))
  for (const api of APIS) {
    mkdirSync(join(dir, api), { recursive: true })
    cpSync(resolve(SPECS_DIR, api, 'api.yaml'), join(dir, api, 'api.yaml'))
  }
  for (const f of files) {
    mkdirSync(resolve(dir, f.to, '..'), { recursive: true })
    cpSync(f.from, join(dir, f.to))
  }
  return dir
}

/** The valid spec duplicate-id.yaml clashes with; it sorts before the corpus folder. */
const VALID = readFileSync(join(CORPUS, 'specs', 'duplicate-id.yaml'), 'utf8').replace(/^#.*\n/gm, '')

/** The errors a command printed: `where code` per problem line, for the files under `dir`. */
function printed(r: CliResult): string[] {
  return r.stderr.split('\n').filter((l) => /^\S+:\d+:\d+ [A-Z0-9_]+ /.test(l))
}

function expectRefused(r: CliResult, expected: string[], label: string): void {
  expect(r.code, `${label}: exit code (stderr: ${r.stderr.slice(0, 1500)})`).toBe(2)
  const lines = printed(r)
  for (const e of expected) expect(lines.some((l) => l.startsWith(e)), `${label}: expected "${e}" in\n${r.stderr}`).toBe(true)
  expect(lines.length, `${label}: exactly the expected problems, got\n${r.stderr}`).toBe(expected.length)
  expect(r.stderr).not.toMatch(/\n\s+at .*\.(ts|js|mjs):\d+/)
}

let target: Server
let targetUrl: string
let received = 0
let goodConfig: string
const ENV = { IR_MEMBER_USER: 'member1', IR_MEMBER_PASSWORD: 'pw-member', IR_ADMIN_USER: 'admin1', IR_ADMIN_PASSWORD: 'pw-admin', CORPUS_BASE_URL_WITH_PASSWORD: 'http://jane:pw-in-url@127.0.0.1:9' }
const out = () => join(mkdtempSync(join(tmpdir(), 'conform-corpus-out-')), 'reports')

beforeAll(async () => {
  // A target that counts every request and answers none (it resets the connection).
  target = createServer((req) => { received++; req.socket.destroy() })
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r))
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`
  goodConfig = join(mkdtempSync(join(tmpdir(), 'conform-corpus-config-')), 'conform.config.yaml')
  writeFileSync(goodConfig, `defaultTarget: staging
targets:
  staging:
    limits: { concurrency: 2, timeoutMs: 5000, maxBodyBytes: 1000000 }
    apis:
      inforouter:
        baseUrl: ${targetUrl}
        fixtures:
          member: [{ userName: "\${env:IR_MEMBER_USER}", password: "\${env:IR_MEMBER_PASSWORD}" }]
          sysadmin: [{ userName: "\${env:IR_ADMIN_USER}", password: "\${env:IR_ADMIN_PASSWORD}" }]
`)
})
afterAll(() => { target.close() })

describe('the counting target', () => {
  test('does count: a valid spec and config reach it (the preflight), and the run stops with exit 3', async () => {
    const before = received
    const specs = specsFolder([{ from: join(CORPUS, 'specs', 'duplicate-id.yaml'), to: 'inforouter/x/ok.yaml' }])
    const r = await conform(['run', '--specs', specs, '--config', goodConfig, '--out', out()], ENV)
    expect(received - before, r.stderr).toBeGreaterThan(0)
    expect(r.code, r.stderr).toBe(3)
  })
})

describe('broken spec files', () => {
  const all = entries('specs')
  const together = all.filter((e) => !e.place)
  const placed = all.filter((e) => e.place)
  let dir: string
  let check: CliResult
  let run: CliResult
  let sentByRun = 0
  const where = (e: Entry) => relative(PROJECT_ROOT, join(dir, 'inforouter', 'corpus', e.name))

  beforeAll(async () => {
    dir = specsFolder(together.map((e) => ({ from: e.path, to: `inforouter/corpus/${e.name}` })))
    writeFileSync(join(dir, 'inforouter', 'a-valid.yaml'), VALID)
    const before = received
    ;[check, run] = await Promise.all([
      conform(['check', '--specs', dir, '--config', goodConfig]),
      conform(['run', '--specs', dir, '--config', goodConfig, '--out', out()], ENV),
    ])
    sentByRun = received - before
  }, 60_000)

  test(`there are at least 30 (${all.length})`, () => {
    expect(all.length).toBeGreaterThanOrEqual(30)
  })

  test('conform check and conform run refuse the folder: exit 2, every expected problem and no other, nothing sent', () => {
    const expected = together.flatMap((e) => e.expects.map((x) => `${where(e)}:${x}`))
    expectRefused(check, expected, 'check')
    expectRefused(run, expected, 'run')
    expect(run.stderr).toContain('nothing was run')
    expect(sentByRun).toBe(0)
  })

  test.for(together)('$name: its problems, at their places', (e) => {
    const lines = printed(check)
    const mine = lines.filter((l) => l.startsWith(`${where(e)}:`)).map((l) => l.slice(where(e).length + 1).split(' ').slice(0, 2).join(' '))
    expect(mine.sort()).toEqual([...e.expects].sort())
  })

  test.concurrent.for(placed)('$name (as $place): exit 2 with its problems', async (e) => {
    const folder = specsFolder([{ from: e.path, to: e.place! }])
    const r = await conform(['check', '--specs', folder, '--config', goodConfig])
    expectRefused(r, e.expects.map((x) => `${relative(PROJECT_ROOT, join(folder, e.place!))}:${x}`), e.name)
  })
})

describe('broken config files', () => {
  const all = entries('config')
  test(`there are at least 30 (${all.length})`, () => {
    expect(all.length).toBeGreaterThanOrEqual(30)
  })

  test.concurrent.for(all)('$name: exit 2 with its problems, nothing sent', async (e) => {
    const file = join(mkdtempSync(join(tmpdir(), 'conform-corpus-config-')), e.name)
    writeFileSync(file, readFileSync(e.path).toString('latin1').replace(PLACEHOLDER, targetUrl), 'latin1')
    const expected = e.expects.map((x) => `${relative(PROJECT_ROOT, file)}:${x}`)
    const before = received
    for (const command of e.commands) {
      const args = command === 'run' ? ['run', '--config', file, '--out', out()] : ['check', '--config', file]
      expectRefused(await conform(args, ENV), expected, `${e.name} (${command})`)
    }
    // Other files run at the same time; none of them may send anything either.
    expect(received - before).toBe(0)
  })
})

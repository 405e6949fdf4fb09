import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { PROJECT_ROOT, SPECS_DIR } from '../../src/paths.ts'
import { startReference, type RunningReference } from '../../reference/index.ts'
import { spawn } from 'node:child_process'
import { MISBEHAVIOURS, type Misbehaviour } from './behaviours.ts'
import { fixtureAccounts } from './fixtures.ts'
import { marker, startHostile, type HostileServer } from './server.ts'

/**
 * One `conform run` against a hostile staging-like target: every call under test carries a marker and gets one
 * misbehaviour; logins, snapshots and restores pass through to a real reference. Each misbehaviour must end as a
 * failed check of its category whose message names the problem (or, for odd but valid HTTP, a passed check), within
 * the deadline, with the run's memory and reports bounded; the run goes on, and two control checks on the same target
 * pass.
 */

const TIMEOUT_MS = 2500
/** The default size cap: the bombs that count (keys, attributes, a huge message) come in under it. */
const MAX_BODY = 5_000_000
const RSS_BOUND_KB = 400 * 1024
const REPORTS_BOUND = 5 * 1024 * 1024
const TIME = '/usr/bin/time'

const SPEC: Record<Misbehaviour['api'], (id: string, bindings: string[], email: string, control: boolean) => string> = {
  inforouter: (id, bindings, email, control) => `id: hostile.update-user-email.${id}
title: hostile ${id}
covers: [IE-4]
api: inforouter
bindings: [${bindings.join(', ')}]
given:
  users:
    jane: { role: member }
  caller: jane
when:
  UpdateUserEmail:
    UserName: \${jane.userName}
    NewEmailAddress: "${email}"
then:
  response: { success: "true", error: "" }
${control ? '  unchanged: [jane]\n' : ''}`,
  'ecgrid-rest': (id, bindings, email, control) => `id: hostile.update-user.${id}
title: hostile ${id}
covers: [ER-1]
api: ecgrid-rest
bindings: [${bindings.join(', ')}]
given:
  users:
    jane: { role: MailboxUser }
  caller: jane
when:
  UpdateUser: { userId: "\${jane.userId}", email: "${email}" }
then:
  status: 200
  response: { success: "true" }
${control ? '  unchanged: [jane]\n' : ''}`,
}

function specsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'conform-hostile-specs-'))
  cpSync(resolve(SPECS_DIR, 'behaviours.yaml'), join(dir, 'behaviours.yaml'))
  for (const api of ['inforouter', 'ecgrid-rest'] as const) {
    mkdirSync(join(dir, api, 'hostile'), { recursive: true })
    cpSync(resolve(SPECS_DIR, api, 'api.yaml'), join(dir, api, 'api.yaml'))
    const binding = api === 'inforouter' ? 'soap11' : 'rest-json'
    const control = SPEC[api]('control', [binding], '${jane.email}', true)
    writeFileSync(join(dir, api, 'hostile', 'control.yaml'), control)
  }
  for (const m of MISBEHAVIOURS) writeFileSync(join(dir, m.api, 'hostile', `${m.name}.yaml`), SPEC[m.api](m.name, m.bindings, marker(m.name), false))
  return dir
}

interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a program; after `killAfterMs` its whole process group (CLI and vitest workers) is killed. */
function runBounded(program: string, args: string[], env: NodeJS.ProcessEnv, killAfterMs: number): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(program, args, { cwd: PROJECT_ROOT, env, detached: true })
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        /* gone */
      }
    }, killAfterMs)
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    child.on('error', fail)
    child.on('close', (code) => {
      clearTimeout(timer)
      done({ code, stdout, stderr })
    })
  })
}

interface Step {
  name: string
  status: string
  durationMs: number
}
interface Check {
  id: string
  status: string
  category: string | null
  message: string | null
  durationMs: number
  steps: Step[]
}

let ref: RunningReference
let hostile: HostileServer
let result: CliResult
let checks: Map<string, Check>
let maxRssKb: number | undefined
let wallMs: number
/** Bytes of every file the run wrote under its reports folder, by path. */
let reportBytes: Map<string, number>

function filesUnder(dir: string): Map<string, number> {
  const sizes = new Map<string, number>()
  for (const d of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (d.isFile()) sizes.set(join(d.parentPath, d.name), statSync(join(d.parentPath, d.name)).size)
  }
  return sizes
}

beforeAll(async () => {
  ref = await startReference()
  hostile = await startHostile(ref.url)
  const members = Array.from({ length: 8 }, () => 'member')
  const { env, accounts } = await fixtureAccounts(ref, {
    inforouter: [...members, 'sysadmin'],
    'ecgrid-rest': ['Root', 'MailboxUser', 'MailboxUser', 'MailboxUser'],
  })
  const dir = mkdtempSync(join(tmpdir(), 'conform-hostile-'))
  const config = join(dir, 'conform.config.json')
  writeFileSync(
    config,
    JSON.stringify({
      defaultTarget: 'hostile',
      targets: {
        hostile: {
          allowWrites: true,
          limits: { concurrency: 8, timeoutMs: TIMEOUT_MS, maxBodyBytes: MAX_BODY },
          apis: {
            inforouter: { baseUrl: hostile.url, bindings: ['soap11', 'http-get'], fixtures: accounts.inforouter },
            'ecgrid-rest': { baseUrl: hostile.url, bindings: ['rest-json'], fixtures: accounts['ecgrid-rest'] },
          },
        },
      },
    }),
  )
  const out = join(dir, 'reports')
  const cli = [resolve(PROJECT_ROOT, 'bin/conform.mjs'), 'run', '--config', config, '--specs', specsDir(), '--out', out, '--seed', '7']
  const childEnv = { ...process.env, ...env }
  const measured = existsSync(TIME)
  const t0 = performance.now()
  // GNU time reports the peak RSS of the CLI and of every process it waited for (the vitest workers).
  result = measured
    ? await runBounded(TIME, ['-f', 'maxrss-kb=%M', process.execPath, ...cli], childEnv, 90_000)
    : await runBounded(process.execPath, cli, childEnv, 90_000)
  wallMs = performance.now() - t0
  maxRssKb = measured ? Number(/maxrss-kb=(\d+)/.exec(result.stderr)?.[1]) : undefined
  reportBytes = filesUnder(out)
  const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as { checks: Check[] }
  checks = new Map(report.checks.map((c) => [c.id, c]))
  // XXE: had any parser resolved the entity, /etc/passwd's first line would be in the report.
  expect(readFileSync(join(out, 'exchanges.har'), 'utf8') + JSON.stringify(report)).not.toMatch(/root:x?:0:0/)
}, 120_000)

afterAll(async () => {
  await hostile?.close()
  await ref?.close()
})

describe('a hostile target', () => {
  test('the run finishes, says "not conformant" (exit 1), and both control checks pass', () => {
    expect(result.code, result.stderr.slice(-2000)).toBe(1)
    expect(checks.get('hostile.update-user-email.control@soap11')?.status).toBe('passed')
    expect(checks.get('hostile.update-user.control@rest-json')?.status).toBe('passed')
    const expected = MISBEHAVIOURS.reduce((n, m) => n + m.bindings.length, 2)
    expect(checks.size).toBe(expected)
    // All misbehaviours run side by side: the whole run is a few deadlines, not one per misbehaviour.
    expect(wallMs).toBeLessThan(40_000)
  })

  test(`the CLI's peak memory stays under ${RSS_BOUND_KB / 1024} MB with 100 MB bodies and bombs`, async ({ skip, annotate }) => {
    if (maxRssKb === undefined) skip(`${TIME} is not installed: peak memory not measured`)
    await annotate(`peak RSS ${Math.round(maxRssKb! / 1024)} MB, run ${Math.round(wallMs)} ms`, 'measured')
    expect(maxRssKb).toBeGreaterThan(20 * 1024)
    expect(maxRssKb).toBeLessThan(RSS_BOUND_KB)
  })

  test(`the reports stay under ${REPORTS_BOUND / 1024 / 1024} MB in all, whatever was answered`, async ({ annotate }) => {
    const total = [...reportBytes.values()].reduce((a, b) => a + b, 0)
    const largest = [...reportBytes]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([f, n]) => `${f.split('/reports/')[1]} ${(n / 1024).toFixed(0)} KB`)
    await annotate(`reports ${(total / 1024 / 1024).toFixed(2)} MB in ${reportBytes.size} files; largest: ${largest.join(', ')}`, 'measured')
    expect(total).toBeLessThan(REPORTS_BOUND)
  })

  const cases = MISBEHAVIOURS.flatMap((m) => m.bindings.map((b) => ({ m, binding: b, label: `${m.name} over ${b}` })))
  test.for(cases)('$label: a failed check of its category, naming the problem, within the deadline', ({ m, binding }) => {
    const id = `${m.api === 'inforouter' ? 'hostile.update-user-email' : 'hostile.update-user'}.${m.name}@${binding}`
    const check = checks.get(id)
    expect(check, `no result for ${id}`).toBeDefined()
    // Once per binding; an answer that may say a kept session ended (a refusal, well-formed) is sent once more after a
    // fresh login (src/engine/session-reuse.ts), never more, and never for an error page or a broken answer.
    const hits = hostile.hits.get(m.name) ?? 0
    if (m.resentOnce) expect(hits, 'asked once per binding, and once more after a fresh login').toBe(2 * m.bindings.length)
    else expect(hits, 'the target was asked once per binding').toBe(m.bindings.length)
    if (m.category === 'passed') expect(check!.status, check!.message ?? '').toBe('passed')
    else {
      expect(check!.status).toBe('failed')
      expect(check!.category, check!.message ?? '').toBe(m.category)
      expect(check!.message).toMatch(m.message)
    }
    const call = check!.steps.find((s) => s.name === 'call')!
    // Hanging misbehaviours end at the deadline; the others (bombs included) well before it.
    if (m.hangs) {
      expect(call.durationMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50)
      // Ended by the deadline, not by the target: a loaded machine may add seconds to a timer, never a hang's minutes.
      expect(call.durationMs).toBeLessThan(2 * TIMEOUT_MS)
    } else {
      // Stopped by its own guard (the category and message above say which), not by the deadline: no timeout named.
      expect(check!.message ?? '').not.toMatch(/no answer within|timed out|time limit/i)
      expect(call.durationMs).toBeLessThan(2 * TIMEOUT_MS)
    }
    // Nothing reached the reference, and the fixture user was restored and verified.
    expect(check!.steps.find((s) => s.name === 'restore')?.status).toBe('passed')
  })
})

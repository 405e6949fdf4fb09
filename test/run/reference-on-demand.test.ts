import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'
import { conform } from '../helpers/cli.ts'
import { Staging } from '../helpers/staging.ts'

/**
 * A run against a configured target never loads the embedded reference's modules (reference/, a sixth of a start's):
 * they are loaded on first use (src/run/resolve-target.ts, early-reference.ts, src/cli/reference-names.ts). Observed
 * in the real process, through a module hook that lists every module the main thread loaded.
 */
const dir = mkdtempSync(join(tmpdir(), 'conform-reference-on-demand-'))
const hook = join(dir, 'hook.mjs')
writeFileSync(
  hook,
  `import { registerHooks } from 'node:module'
import { writeFileSync } from 'node:fs'
import { isMainThread } from 'node:worker_threads'
const loaded = []
registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context) } })
if (isMainThread) process.on('exit', () => writeFileSync(process.env.LOADED_MODULES_FILE, loaded.join('\\n')))
`,
)
const stagings: Staging[] = []
afterAll(async () => {
  for (const s of stagings) await s.close()
  rmSync(dir, { recursive: true, force: true })
})

/** `conform run …` with the hook: its exit code and output, and the modules of reference/ its main thread loaded. */
async function runListing(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string; reference: string[] }> {
  const file = join(mkdtempSync(join(dir, 'run-')), 'modules.txt')
  const r = await conform(['run', ...args, '--out', join(dir, `out-${Math.random()}`)], {
    ...env,
    NODE_OPTIONS: `--import ${pathToFileURL(hook).href}`,
    LOADED_MODULES_FILE: file,
  })
  const loaded = readFileSync(file, 'utf8').split('\n')
  expect(loaded.length, 'the hook saw the modules').toBeGreaterThan(100)
  // reference/facts.ts is what a run knows of the reference without loading it (a few constants).
  return { code: r.code, output: r.stdout + r.stderr, reference: loaded.filter((u) => u.includes('/reference/') && !u.endsWith('/reference/facts.ts')) }
}

const SPEC = ['--api', 'logicmelon', '--spec', 'logicmelon.user-update.wrong-username']

describe('the embedded reference, loaded only when it is used', () => {
  test('a run against a configured target loads none of reference/; one against the reference does', async () => {
    const s = await new Staging().start()
    stagings.push(s)
    // A staging system as a vendor's: no reference control endpoint (with one, its session-expiring APIs are the reference's list).
    const config = s.config({ allowWrites: true, apis: ['logicmelon'], control: false })
    const configured = await runListing(['--target', 'staging', '--config', config, ...SPEC], s.env)
    expect(configured.code, configured.output).toBe(0)
    expect(configured.reference).toEqual([])
    const reference = await runListing(SPEC)
    expect(reference.code, reference.output).toBe(0)
    expect(reference.reference.length).toBeGreaterThan(50)
  }, 120_000)

  test('a reference conform serve serves (a control endpoint): its sessions expire on demand, and none of reference/ is loaded', async () => {
    const s = await new Staging().start()
    stagings.push(s)
    const config = s.config({ allowWrites: true, apis: ['inforouter'] })
    const r = await runListing(
      ['--target', 'staging', '--config', config, '--api', 'inforouter', '--spec', 'inforouter.update-user-email.expired-ticket', '--binding', 'soap11'],
      s.env,
    )
    expect(r.code, r.output).toBe(0)
    expect(r.output).toMatch(/1 checks: 1 passed/)
    expect(r.reference).toEqual([])
  }, 120_000)

  test('--deviate on a configured target is still refused as before (bad usage), without loading the reference', async () => {
    const s = await new Staging().start()
    stagings.push(s)
    const config = s.config({ allowWrites: true, apis: ['logicmelon'], control: false })
    const r = await runListing(['--target', 'staging', '--config', config, '--deviate', 'no-such-deviation', ...SPEC], s.env)
    expect(r.code, r.output).toBe(2)
    expect(r.output).toContain('--deviate applies to the embedded reference only')
    expect(r.reference).toEqual([])
  }, 120_000)

  test('an unknown deviation on the reference is UNKNOWN_DEVIATION (exit 2), the reference loaded to say so', async () => {
    const r = await runListing(['--deviate', 'no-such-deviation', ...SPEC])
    expect(r.code, r.output).toBe(2)
    expect(r.output).toContain('unknown deviation "no-such-deviation"')
    expect(r.reference.length).toBeGreaterThan(50)
  }, 120_000)
})

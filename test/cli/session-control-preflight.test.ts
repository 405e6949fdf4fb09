import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { conform } from '../helpers/cli.ts'
import { closedUrl } from '../helpers/ports.ts'
import { type Staging, useStaging } from '../helpers/staging.ts'

/**
 * A run whose checks of expired sessions count on the target's control endpoint (`referenceControl`, a reference that
 * conform serve serves) finds out before any check that it answers and takes its key: a setup problem, exit 3, never
 * the checks failing as if the target were not conformant (a new user's finding: exit 1). A run with no such check
 * does not need it, and does not ask it.
 */
let s!: Staging
useStaging((started) => {
  s = started
})

const EXPIRED = ['--api', 'inforouter', '--spec', 'inforouter.update-user-email.expired-ticket', '--binding', 'soap11']
const OTHER = ['--api', 'inforouter', '--covers', 'IE-5', '--binding', 'soap11']

function controlKeyVar(config: string): string {
  return /"key":\s*"\$\{env:(\w+)\}"/.exec(readFileSync(config, 'utf8'))![1]!
}

const run = (config: string, filters: string[], env: Record<string, string>) =>
  conform(['run', '--target', 'staging', '--config', config, '--out', join(s.dir, `out-${Math.random()}`), ...filters], env)

test('the control endpoint as configured: the check of an expired session runs and passes', async () => {
  const config = s.config({ allowWrites: true, apis: ['inforouter'] })
  const r = await run(config, EXPIRED, s.env)
  expect(r.code, r.stdout + r.stderr).toBe(0)
  expect(r.stdout).toMatch(/1 checks: 1 passed/)
})

test('a control key the endpoint refuses: exit 3, SESSION_CONTROL_REFUSED, no check run, the key never printed', async () => {
  const config = s.config({ allowWrites: true, apis: ['inforouter'] })
  const wrong = 'not-the-control-key-7f3a'
  const r = await run(config, EXPIRED, { ...s.env, [controlKeyVar(config)]: wrong })
  expect(r.code, r.stdout + r.stderr).toBe(3)
  expect(r.stderr).toContain('SESSION_CONTROL_REFUSED')
  expect(r.stdout).not.toMatch(/\d+ checks:/)
  expect(r.stdout + r.stderr).not.toContain(wrong)
  // A run with no check of an expired session does not need the endpoint: the same wrong key changes nothing.
  const other = await run(config, OTHER, { ...s.env, [controlKeyVar(config)]: wrong })
  expect(other.code, other.stdout + other.stderr).toBe(0)
})

test('a control endpoint that cannot be reached: exit 3, SESSION_CONTROL_UNREACHABLE', async () => {
  const config = s.config({ allowWrites: true, apis: ['inforouter'] })
  const parsed = JSON.parse(readFileSync(config, 'utf8'))
  parsed.targets.staging.referenceControl.url = await closedUrl()
  writeFileSync(config, JSON.stringify(parsed))
  const r = await run(config, EXPIRED, s.env)
  expect(r.code, r.stdout + r.stderr).toBe(3)
  expect(r.stderr).toContain('SESSION_CONTROL_UNREACHABLE')
})

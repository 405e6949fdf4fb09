import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { replay } from '../../bench/lib/replay.ts'
import { startReference } from '../../reference/index.ts'
import { loadProject } from '../../src/project.ts'
import type { Har } from '../../src/report/har.ts'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import { conform } from '../helpers/cli.ts'

const out = mkdtempSync(join(tmpdir(), 'conform-replay-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

// One check of each way a run's tokens reach the wire: readers (whose sessions the replay's own runner must not end
// before it is done), logins, a session the check logs out, a ticket expired through the control endpoint, an API key
// given as the session, credentials, an API at a base path of its own (ECGridOS v4.1 under /live), a REST face.
const SPECS = [
  'ecgridos-v41.user-update.authlevel-applied',
  'ecgridos-v41.user-update.api-key-as-session',
  'ecgridos-v41.user-update.session-logged-out-http',
  'ecgridos.user-update.answer-keeps-unchanged-fields',
  'inforouter.update-user-email.expired-ticket',
  'logicmelon.user-update.empty-clears-updateable-strings',
  'ecgrid-rest.update-user.invalid-email',
]

test("a run's HAR, replayed against a fresh reference, meets the same cases: every answer of the recorded status and shape", async () => {
  const run = await conform(['run', '--seed', '42', '--spec', SPECS.join(','), '--out', out])
  expect(run.code, run.stderr).toBe(0)
  const har = JSON.parse(readFileSync(join(out, 'exchanges.har'), 'utf8')) as Har
  const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport
  expect(report.summary.checks).toBeGreaterThanOrEqual(SPECS.length)
  const project = loadProject()
  const ref = await startReference()
  try {
    const result = await replay(har, report, project, { url: ref.url, controlKey: ref.controlKey }, 4)
    expect(result.requests).toBe(har.log.entries.length)
    expect(result.differing).toEqual([])
    expect(result.unmapped).toBe(0)
  } finally {
    await ref.close()
  }
})

import { describe, expect, test } from 'vitest'
import type { ResolvedTarget } from '../../src/engine/target.ts'
import { loadProject } from '../../src/project.ts'
import { CheckRun } from '../../src/run/engine-run.ts'
import { defaultRunOptions } from '../../src/run/options.ts'
import { type Staging, useStaging } from '../helpers/staging.ts'

/**
 * An API's checks start once its reader is ready; a check that calls through a generated client waits for that
 * client (its WSDL fetched and compiled), the others do not.
 */
const project = loadProject()
let s!: Staging
useStaging(
  (started) => {
    s = started
  },
  { env: true },
)

describe("an API's preparation", () => {
  test('a WSDL that has not answered yet holds back the generated-client check only', async () => {
    const target: ResolvedTarget = {
      name: 'staging',
      allowWrites: true,
      limits: { concurrency: 2, timeoutMs: 20_000, maxBodyBytes: 2_000_000 },
      apis: { inforouter: { baseUrl: s.url, fixtures: s.accounts.inforouter! } },
    }
    let plainDone!: () => void
    const plainVerdict = new Promise<void>((r) => {
      plainDone = r
    })
    // The WSDL is answered only once the plain check has its verdict: waiting for it first would never end.
    s.onAnswered = async (seen) => {
      if (/\?WSDL/i.test(seen.sent)) await plainVerdict
    }
    const order: string[] = []
    const run = new CheckRun({
      project,
      target,
      options: {
        ...defaultRunOptions(),
        apis: ['inforouter'],
        specs: ['inforouter.update-user-email.generated-client', 'inforouter.update-user-email.updates-own-email'],
        bindings: ['soap11'],
      },
      reporters: [
        {
          onCheck: (r) => {
            order.push(r.id)
            if (r.id.includes('updates-own-email')) plainDone()
          },
        },
      ],
    })
    try {
      const outcome = await run.all()
      expect(outcome.checks.map((c) => [c.id, c.status])).toEqual([
        ['inforouter.update-user-email.generated-client@soap11', 'passed'],
        ['inforouter.update-user-email.updates-own-email@soap11', 'passed'],
      ])
      expect(order[0]).toContain('updates-own-email')
    } finally {
      s.onAnswered = undefined
      await run.close()
    }
  })
})

import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { readJournal } from '../../src/engine/journal.ts'
import { planChecks, type Check } from '../../src/engine/plan.ts'
import { Runner } from '../../src/engine/runner.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'
import { loadProject } from '../../src/project.ts'
import { type Staging, useStaging } from '../helpers/staging.ts'

/**
 * A check that gives its user starting values (`given … set`) and is stopped right after that write, before it read
 * the user again: the values it wrote are its own, and the restore puts them back (they once were taken for another
 * writer's, and left on the account: an interrupted run that reached such a check first left users changed).
 */
const project = loadProject()
let s!: Staging
useStaging(
  (started) => {
    s = started
  },
  { env: true },
)

function runner(): { runner: Runner; target: ResolvedTarget; journal: string } {
  const target: ResolvedTarget = {
    name: 'staging',
    allowWrites: true,
    limits: { concurrency: 2, timeoutMs: 10_000, maxBodyBytes: 2_000_000 },
    apis: { inforouter: { baseUrl: s.url, fixtures: s.accounts.inforouter! } },
  }
  const journal = join(s.dir, `journal-${Math.random().toString(36).slice(2)}.jsonl`)
  return {
    runner: new Runner({ target, apis: project.apis, catalogue: project.catalogue, seed: 5, journal: { file: journal, pid: process.pid } }),
    target,
    journal,
  }
}

const check = (target: ResolvedTarget, id: string, binding: Check['binding']): Check => {
  const [c] = planChecks(project, target, { specs: [`inforouter.${id}`], bindings: [binding] })
  if (!c) throw new Error(`no check ${id} over ${binding}`)
  return c
}

describe('a check stopped right after it gave its user starting values', () => {
  for (const id of ['update-user-contact-info.left-out-preserves', 'update-user-contact-info.empty-clears-mobile']) {
    test(`${id}: the restore puts the starting values back; the journal says restored`, async () => {
      const before = s.users()
      const { runner: r, target, journal } = runner()
      let stoppedAt: string | undefined
      s.onAnswered = (seen) => {
        if (stoppedAt || !seen.write) return
        stoppedAt = seen.operation
        r.stop(new Error('SIGINT received'))
      }
      const result = await r.run(check(target, id, 'soap11'))
      s.onAnswered = undefined
      await r.close()
      // The first write was the starting value's (the restore call), and the check stopped there.
      expect(stoppedAt).toBe('UpdateUserContactInfo')
      expect(result.steps.map((st) => st.name)).toContain('establish')
      expect(result.steps.map((st) => st.name)).not.toContain('call')
      expect(result.failures.map((f) => f.message).join('\n')).not.toMatch(/INTERFERED|RESTORE NOT VERIFIED/)
      expect(s.users()).toEqual(before)
      const events = readJournal(journal).events
      expect(events.filter((e) => e.event === 'restored').length).toBe(events.filter((e) => e.event === 'snapshot').length)
    })
  }
})

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, test } from 'vitest'
import { startReference } from '../../reference/index.ts'
import { loadProject } from '../../src/project.ts'
import { CheckRun } from '../../src/run/engine-run.ts'
import { defaultRunOptions } from '../../src/run/options.ts'
import { referenceApis, startTarget } from '../../src/run/resolve-target.ts'

/**
 * 1bd6aef: on the embedded reference no session is logged out at run end; removing the run's users ends them. Every
 * API the reference serves (ECGridOS v4.1 under /live and ECGrid REST share ECGridOS's store), readers included, and a
 * run stopped as it began, while its readers were being made: no user the run made, and no session, is left.
 */
async function runOn(stopEarly: boolean) {
  const dbFile = join(mkdtempSync(join(tmpdir(), 'conform-review-sessions-')), 'ref.sqlite')
  const ref = await startReference({ dbFile })
  const project = loadProject()
  const started = await startTarget(project, project.config.defaultTarget, [], { started: Promise.resolve(ref) })
  const db = new DatabaseSync(dbFile, { readOnly: true })
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
  const left = () => ({ tickets: count('ir_tickets'), sessions: count('ec_sessions'), ir: count('ir_users'), ec: count('ec_users'), lm: count('lm_users') })
  const before = left()
  try {
    const run = new CheckRun({
      project,
      target: started.target,
      options: { ...defaultRunOptions(), apis: referenceApis(project), covers: ['IE-1', 'IE-5', 'EO-1', 'EO-8', 'EL-10', 'ER-2', 'LM-2'] },
    })
    const all = run.all()
    // Stopped as it begins: each API's reader is being made (its user provisioned), no check has started.
    if (stopEarly) run.stop(new Error('interrupted'))
    const outcome = await all
    if (!stopEarly) expect(new Set(outcome.checks.map((c) => c.api))).toEqual(new Set(referenceApis(project)))
    await run.close()
    return { before, after: left() }
  } finally {
    db.close()
    await started.stop()
  }
}

describe('a run on the embedded reference leaves no user and no session behind', () => {
  test('every API, readers included', async () => {
    const { before, after } = await runOn(false)
    expect(after).toEqual(before)
  })

  test('a run stopped as it began, its readers still being made', async () => {
    const { before, after } = await runOn(true)
    expect(after).toEqual(before)
  })
})

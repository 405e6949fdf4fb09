import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { BindingName } from '../bindings/types.ts'
import { ConformError } from '../errors.ts'
import { Runner } from '../engine/environment.ts'
import { buildParams } from '../engine/case-run.ts'
import { appendEvent, archiveJournal, JOURNAL_FILE, liveRun, openUsers, readJournal, type SnapshotEvent } from '../engine/journal.ts'
import { differences, readBackParams, readBackState, restoreParams } from '../engine/user-state.ts'
import { loadProject } from '../project.ts'
import { startTarget } from '../run/resolve-target.ts'
import { doneFileFor } from '../run/journal-check.ts'
import type { ApiDescription } from '../spec/model.ts'
import { parse } from './args.ts'
import { RESTORE_HELP } from './help.ts'

type Outcome = { kind: 'unchanged' | 'restored' } | { kind: 'not verified'; fields: string[] } | { kind: 'error'; error: ConformError }

/** Replays a journal left by an interrupted run: every fixture user with an open snapshot is put back and verified. */
export default async function restore(args: string[]): Promise<number> {
  const { values } = parse(args, {
    journal: { type: 'string' }, out: { type: 'string' }, target: { type: 'string' }, config: { type: 'string' },
    abandon: { type: 'boolean' }, force: { type: 'boolean' },
  }, RESTORE_HELP)
  if (values.help) {
    process.stdout.write(RESTORE_HELP)
    return 0
  }
  const file = resolve(values.journal ?? resolve(values.out ?? 'reports', JOURNAL_FILE))
  const { events, broken } = readJournal(file)
  // A line cut short was never completed, so the check it belonged to never went on to change the user.
  if (broken.length) process.stderr.write(`${file}: ignoring ${broken.length} incomplete line(s) (${broken.join(', ')}), written as the run was killed\n`)
  const open = openUsers(events)
  if (open.length === 0) {
    const exists = existsSync(file)
    archiveJournal(file, doneFileFor(file))
    process.stdout.write(exists ? `${file}: nothing to restore (every snapshot was restored and verified)\n` : `no journal at ${file}: nothing to restore\n`)
    return 0
  }
  const pid = liveRun(open.map((u) => u.first))
  if (pid !== undefined && !values.force) {
    throw new ConformError('JOURNAL_IN_USE', 'spec', `${file}: the run that wrote it (pid ${pid}) is still running; it restores its own users. If that process is not a conform run, pass --force`)
  }
  const targets = [...new Set(open.map((u) => u.first.target))]
  const targetName = values.target ?? targets[0]!
  const foreign = targets.filter((t) => t !== targetName)
  if (foreign.length) {
    throw new ConformError('BAD_USAGE', 'spec', `${file} holds users of target ${foreign.join(', ')}, not only "${targetName}": restore with --target ${foreign[0]} as well, or without --target`)
  }
  if (values.abandon) return abandon(file, open)

  const project = loadProject(values.config ? { configFile: resolve(values.config) } : {})
  if (!project.config.targets[targetName]) {
    throw new ConformError('BAD_USAGE', 'spec', `the journal's users belong to target "${targetName}", which the config does not name (pass the run's --config)`)
  }
  const started = await startTarget(project, targetName)
  const runner = new Runner({ target: started.target, apis: project.apis, catalogue: project.catalogue, seed: 0 })
  const outcomes: Outcome[] = []
  try {
    for (const u of open) {
      const outcome = await replay(runner, project.apis.get(u.first.api), u.first).catch((e: unknown): Outcome => ({ kind: 'error', error: asConformError(e) }))
      outcomes.push(outcome)
      const who = `${u.first.api} user ${u.first.user} (target ${u.first.target})`
      const at = new Date().toISOString()
      const base = { v: 1 as const, at, target: u.first.target, api: u.first.api, user: u.first.user }
      if (outcome.kind === 'unchanged' || outcome.kind === 'restored') {
        for (const id of u.ids) await appendEvent(file, { ...base, id, event: 'restored', by: 'replay' })
        process.stdout.write(`${outcome.kind === 'restored' ? 'restored and verified' : 'already as it was'}: ${who}\n`)
      } else {
        const fields = outcome.kind === 'not verified' ? outcome.fields : outcome.kind === 'error' ? [outcome.error.message] : []
        for (const id of u.ids) await appendEvent(file, { ...base, id, event: 'restore-failed', by: 'replay', fields })
        process.stderr.write(runner.redactor.redact(`RESTORE NOT VERIFIED: ${who}: ${fields.join(', ')}\n`))
      }
    }
  } finally {
    await runner.close()
    await started.stop()
  }
  const failed = outcomes.filter((o) => o.kind === 'not verified' || o.kind === 'error')
  if (failed.length === 0) {
    archiveJournal(file, doneFileFor(file))
    process.stdout.write(`${open.length} fixture user(s) restored and verified; the journal is done (${doneFileFor(file)})\n`)
    return 0
  }
  process.stderr.write(`\n${failed.length} of ${open.length} fixture user(s) could not be restored and verified. The journal stays open: fix the cause and run conform restore again, or put the users back by hand and run conform restore --abandon.\n`)
  return failed.every((o) => o.kind === 'error' && o.error.category === 'transport') ? 3 : 1
}

/** Reads the user; when it differs from the snapshot, restores it and reads it back to verify. */
async function replay(runner: Runner, api: ApiDescription | undefined, s: SnapshotEvent): Promise<Outcome> {
  if (!api) throw new ConformError('UNKNOWN_API', 'spec', `the journal names api "${s.api}", which the specs do not describe`)
  const client = runner.client(api.api)
  const { token } = await runner.reader(api.api)
  const binding: BindingName = s.binding
  const read = async () => {
    const call = { operation: api.readBack.call.operation, params: readBackParams(api, s.attrs) }
    return readBackState(api, binding, s.attrs, await client.call(binding, call.operation, buildParams(api, call, token)))
  }
  if (differences(s.state, await read()).length === 0) return { kind: 'unchanged' }
  const call = { operation: api.restore.call.operation, params: restoreParams(api, s.attrs, s.state) }
  await client.call(binding, call.operation, buildParams(api, call, token))
  const wrong = differences(s.state, await read())
  return wrong.length ? { kind: 'not verified', fields: wrong } : { kind: 'restored' }
}

async function abandon(file: string, open: Array<{ first: SnapshotEvent; ids: string[] }>): Promise<number> {
  for (const u of open) {
    for (const id of u.ids) await appendEvent(file, { v: 1, at: new Date().toISOString(), id, target: u.first.target, api: u.first.api, user: u.first.user, event: 'abandoned' })
    process.stderr.write(`abandoned (not restored by conform): ${u.first.api} user ${u.first.user} (target ${u.first.target})\n`)
  }
  archiveJournal(file, doneFileFor(file))
  return 0
}

function asConformError(e: unknown): ConformError {
  return e instanceof ConformError ? e : new ConformError('INTERNAL', 'setup', (e as Error).message)
}

import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { BindingName } from '../bindings/types.ts'
import { resolveEnv } from '../config.ts'
import { ConformError } from '../errors.ts'
import { Runner } from '../engine/runner.ts'
import { buildParams } from '../engine/check-execution.ts'
import { appendEvent, archiveJournal, JOURNAL_FILE, liveRun, openUsers, readJournal, type SnapshotEvent } from '../engine/journal.ts'
import { differences, readBackParams, readBackState, restoreParams } from '../engine/user-state.ts'
import { loadProject } from '../project.ts'
import type { Redactor } from '../redact.ts'
import { startTarget } from '../run/resolve-target.ts'
import { cutLines, doneFileFor } from '../run/journal-check.ts'
import type { ApiDescription, TargetApiConfig } from '../spec/model.ts'
import { parse } from './args.ts'
import { loadEnvFile } from './env-file.ts'
import { RESTORE_HELP } from './help.ts'

type Outcome = { kind: 'unchanged' | 'restored' } | { kind: 'not verified'; fields: string[] } | { kind: 'error'; error: ConformError }

/**
 * Replays a journal left by an interrupted run: every fixture user with an open snapshot is put back and verified.
 * Whatever it prints or journals goes through a redactor that knows every secret of the target's accounts.
 */
export default async function restore(args: string[]): Promise<number> {
  const { values } = parse(
    args,
    {
      journal: { type: 'string' },
      out: { type: 'string' },
      target: { type: 'string' },
      config: { type: 'string' },
      'env-file': { type: 'string' },
      abandon: { type: 'boolean' },
      force: { type: 'boolean' },
    },
    RESTORE_HELP,
  )
  if (values.help) {
    process.stdout.write(RESTORE_HELP)
    return 0
  }
  if (values['env-file']) loadEnvFile(values['env-file'])
  const file = resolve(values.journal ?? resolve(values.out ?? 'reports', JOURNAL_FILE))
  const { events, broken } = readJournal(file)
  // A cut line is an event being written when the run stopped (a crash, a full disk): what it said is unknown.
  if (broken.length)
    process.stderr.write(
      `JOURNAL_CUT ${cutLines(file, broken)}: ${broken.length} line(s) of the journal were cut short while they were written (a crash or a full disk). What they said is unknown: the journal stays until you have looked at them and run conform restore --abandon (the users of its whole events are restored all the same).\n`,
    )
  const open = openUsers(events)
  if (open.length === 0) {
    const exists = existsSync(file)
    if (broken.length && !values.abandon) return 1
    archiveJournal(file, doneFileFor(file))
    process.stdout.write(
      exists
        ? `${file}: nothing to restore (every snapshot was restored and verified${broken.length ? '; the cut lines are set aside with it' : ''})\n`
        : `no journal at ${file}: nothing to restore\n`,
    )
    return 0
  }
  const pid = liveRun(open.map((u) => u.first))
  if (pid !== undefined && !values.force) {
    throw new ConformError(
      'JOURNAL_IN_USE',
      'spec',
      `${file}: the run that wrote it (pid ${pid}) is still running; it restores its own users. If that process is not a conform run, pass --force`,
    )
  }
  const targets = [...new Set(open.map((u) => u.first.target))]
  const targetName = values.target ?? targets[0]!
  const foreign = targets.filter((t) => t !== targetName)
  if (foreign.length) {
    throw new ConformError(
      'BAD_USAGE',
      'spec',
      `${file} holds users of target ${foreign.join(', ')}, not only "${targetName}": restore with --target ${foreign[0]} as well, or without --target`,
    )
  }
  if (values.abandon) return abandon(file, open)

  const project = loadProject(values.config ? { configFile: resolve(values.config) } : {})
  const configured = project.config.targets[targetName]
  if (!configured) {
    throw new ConformError(
      'BAD_USAGE',
      'spec',
      `the journal's users belong to target "${targetName}", which the config does not name (pass the run's --config)`,
    )
  }
  const started = await startTarget(project, targetName)
  const runner = new Runner({ target: started.target, apis: project.apis, catalogue: project.catalogue, seed: 0 })
  const { redactor } = runner
  for (const secret of configuredSecrets(project.apis, configured.apis)) redactor.add(secret)
  const out = (text: string) => process.stdout.write(redactor.redact(text))
  const err = (text: string) => process.stderr.write(redactor.redact(text))
  const outcomes: Outcome[] = []
  try {
    for (const u of open) {
      const api = project.apis.get(u.first.api)
      const account = api ? accountByKey(api, configured.apis[u.first.api]?.fixtures ?? {}, u.first.user) : undefined
      const outcome = await replay(runner, api, u.first, account).catch((e: unknown): Outcome => ({ kind: 'error', error: asConformError(e) }))
      outcomes.push(outcome)
      const who = `${u.first.api} user ${u.first.user} (target ${u.first.target})`
      const at = new Date().toISOString()
      const base = { v: 1 as const, at, target: u.first.target, api: u.first.api, user: u.first.user }
      if (outcome.kind === 'unchanged' || outcome.kind === 'restored') {
        for (const id of u.ids) await appendEvent(file, { ...base, id, event: 'restored', by: 'replay' })
        out(`${outcome.kind === 'restored' ? 'restored and verified' : 'already as it was'}: ${who}\n`)
      } else {
        const fields = redactor.redactValue(outcome.kind === 'not verified' ? outcome.fields : outcome.kind === 'error' ? [outcome.error.message] : [])
        for (const id of u.ids) await appendEvent(file, { ...base, id, event: 'restore-failed', by: 'replay', fields })
        err(`RESTORE NOT VERIFIED: ${who}: ${fields.join(', ')}\n`)
      }
    }
  } catch (e) {
    throw redacted(e, redactor)
  } finally {
    await runner.close()
    await started.stop()
  }
  const failed = outcomes.filter((o) => o.kind === 'not verified' || o.kind === 'error')
  if (failed.length === 0 && broken.length === 0) {
    archiveJournal(file, doneFileFor(file))
    out(`${open.length} fixture user(s) restored and verified; the journal is done (${doneFileFor(file)})\n`)
    return 0
  }
  if (failed.length)
    err(
      `\n${failed.length} of ${open.length} fixture user(s) could not be restored and verified. The journal stays open: fix the cause and run conform restore again, or put the users back by hand and run conform restore --abandon.\n`,
    )
  else
    err(
      `\n${open.length} fixture user(s) restored and verified, but the journal stays: ${broken.length} line(s) were cut short (${cutLines(file, broken)}). Look at them, then run conform restore --abandon.\n`,
    )
  return failed.length && failed.every((o) => o.kind === 'error' && o.error.category === 'transport') ? 3 : 1
}

/**
 * Every secret of the target's configured accounts (the API's `user.secrets` of each account), resolved from the
 * environment now; a variable not set is skipped (no value, nothing to leak).
 */
export function configuredSecrets(apis: ReadonlyMap<string, ApiDescription>, targetApis: Readonly<Record<string, TargetApiConfig>>): string[] {
  const secrets: string[] = []
  for (const [name, t] of Object.entries(targetApis)) {
    const api = apis.get(name)
    if (!api) continue
    for (const account of Object.values(t.fixtures).flat()) {
      for (const key of api.user.secrets) {
        const value = resolvedOrUndefined(account[key])
        if (value) secrets.push(value)
      }
    }
  }
  return secrets
}

/**
 * The configured account the journal names by its user key, its values resolved from the config and environment
 * now: what the journal never keeps (passwords, API keys) comes from where it lives, should the read-back or restore
 * call need it. Undefined when no account of the target has that key (the config changed since the run).
 */
export function accountByKey(
  api: ApiDescription,
  fixtures: Readonly<Record<string, Array<Record<string, string>>>>,
  key: string,
): Record<string, string> | undefined {
  const account = Object.values(fixtures)
    .flat()
    .find((a) => resolvedOrUndefined(a[api.user.key]) === key)
  if (!account) return undefined
  const values: Record<string, string> = {}
  for (const [k, v] of Object.entries(account)) {
    const resolved = resolvedOrUndefined(v)
    if (resolved !== undefined) values[k] = resolved
  }
  return values
}

function resolvedOrUndefined(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  try {
    return resolveEnv(value)
  } catch {
    return undefined
  }
}

/** An error on its way to the terminal, its message redacted. */
function redacted(e: unknown, redactor: Redactor): unknown {
  if (e instanceof ConformError) return new ConformError(e.code, e.category, redactor.redact(e.message), e.location)
  if (e instanceof Error) return new Error(redactor.redact(e.message))
  return e
}

/** Reads the user; when it differs from the snapshot, restores it and reads it back to verify. */
async function replay(runner: Runner, api: ApiDescription | undefined, s: SnapshotEvent, account: Record<string, string> | undefined): Promise<Outcome> {
  if (!api) throw new ConformError('UNKNOWN_API', 'spec', `the journal names api "${s.api}", which the specs do not describe`)
  const client = runner.client(api.api)
  const { token } = await runner.reader(api.api)
  const binding: BindingName = s.binding
  // The journal's attributes are what the check used; the account's fill in what the journal leaves out.
  const user = { ...account, ...s.attrs }
  const read = async () => {
    const call = { operation: api.readBack.call.operation, params: readBackParams(api, user) }
    return readBackState(api, binding, user, await client.call(binding, call.operation, buildParams(api, call, token)))
  }
  if (differences(s.state, await read()).length === 0) return { kind: 'unchanged' }
  const call = { operation: api.restore.call.operation, params: restoreParams(api, user, s.state) }
  await client.call(binding, call.operation, buildParams(api, call, token))
  const wrong = differences(s.state, await read())
  return wrong.length ? { kind: 'not verified', fields: wrong } : { kind: 'restored' }
}

async function abandon(file: string, open: Array<{ first: SnapshotEvent; ids: string[] }>): Promise<number> {
  for (const u of open) {
    for (const id of u.ids)
      await appendEvent(file, { v: 1, at: new Date().toISOString(), id, target: u.first.target, api: u.first.api, user: u.first.user, event: 'abandoned' })
    process.stderr.write(`abandoned (not restored by conform): ${u.first.api} user ${u.first.user} (target ${u.first.target})\n`)
  }
  archiveJournal(file, doneFileFor(file))
  return 0
}

function asConformError(e: unknown): ConformError {
  return e instanceof ConformError ? e : new ConformError('INTERNAL', 'setup', (e as Error).message)
}

import { mkdtempSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { expect, test } from 'vitest'
import { PROJECT_ROOT } from '../../src/paths.ts'
import { run } from '../helpers/cli.ts'
import { type Staging, useStaging } from '../helpers/staging.ts'

/**
 * `conform restore` reads the same --env-file a run did (a new user's finding: it was refused as an unknown option, and
 * the variables had to be sourced by hand).
 */
let s!: Staging
useStaging((started) => {
  s = started
})

test('restore --env-file: the credentials come from the file, as the run had them', async () => {
  const config = s.config({ allowWrites: true, apis: ['inforouter'] })
  const member = s.accounts.inforouter!.member![0]!
  const row = s.users().inforouter!.find((u) => u.user_name === member.userName)!
  const dir = mkdtempSync(join(s.dir, 'restore-'))
  const journal = join(dir, 'journal.jsonl')
  // A killed run's journal: one open snapshot of a member, as the member still is.
  const snapshot = {
    v: 1,
    event: 'snapshot',
    at: new Date().toISOString(),
    id: 's1',
    target: 'staging',
    api: 'inforouter',
    user: row.user_name,
    run: { pid: 2 ** 22 + 1, host: 'gone' },
    check: 'c@soap11',
    binding: 'soap11',
    attrs: { userName: row.user_name },
    state: { userName: row.user_name, email: row.email, mobileNumber: row.mobile_number },
  }
  writeFileSync(journal, `${JSON.stringify(snapshot)}\n`)
  const envFile = join(dir, 'staging.env')
  writeFileSync(
    envFile,
    Object.entries(s.env)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join('\n'),
  )
  // The variables only in the file: not in the environment the command starts with.
  const bare = Object.fromEntries(Object.entries(process.env).filter(([k]) => !(k in s.env)))
  const conform = (args: string[]) =>
    run(process.execPath, [resolve(PROJECT_ROOT, 'bin/conform.mjs'), 'restore', '--journal', journal, '--config', config, ...args], bare)
  const without = await conform([])
  expect(without.code, without.stdout + without.stderr).toBe(2)
  expect(without.stderr).toContain('ENV_MISSING')
  const r = await conform(['--env-file', envFile])
  expect(r.code, r.stdout + r.stderr).toBe(0)
})

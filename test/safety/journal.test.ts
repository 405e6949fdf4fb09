import { appendFileSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { accountByKey, configuredSecrets } from '../../src/cli/restore.ts'
import { Runner } from '../../src/engine/runner.ts'
import { appendEvent, Journal, openSnapshots, openUsers, readJournal, type JournalWrite, type SnapshotEvent } from '../../src/engine/journal.ts'
import { planChecks } from '../../src/engine/plan.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'
import { journalAttrs } from '../../src/engine/user-state.ts'
import { ConformError } from '../../src/errors.ts'
import { loadProject } from '../../src/project.ts'
import { Redactor } from '../../src/redact.ts'
import { refuseUnfinishedJournal, settleJournal } from '../../src/run/journal-check.ts'
import { conform } from '../helpers/cli.ts'
import { Staging } from '../helpers/staging.ts'

const file = () => join(mkdtempSync(join(tmpdir(), 'conform-journal-')), 'journal.jsonl')
const redactor = (...secrets: string[]) => {
  const r = new Redactor()
  for (const s of secrets) r.add(s)
  return r
}
// A pid that cannot be a live process on this host, as after a crash.
const DEAD = 2 ** 22 + 1
const snap = (j: Journal, user: string, email: string) =>
  j.snapshot({ api: 'inforouter', user, check: 'c@soap11', binding: 'soap11', attrs: { userName: user }, state: { email } })
const event = (id: string): SnapshotEvent => ({
  v: 1,
  event: 'snapshot',
  at: 'now',
  id,
  target: 't',
  api: 'a',
  user: 'u',
  run: { pid: 1, host: 'h' },
  check: 'c',
  binding: 'soap11',
  attrs: {},
  state: {},
})

async function thrown(p: Promise<unknown>): Promise<ConformError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  )
  expect(e).toBeInstanceOf(ConformError)
  return e as ConformError
}

describe('journal', () => {
  test('a snapshot stays open until restored; restoring to the OLDEST open snapshot of a user settles all of them', async () => {
    const f = file()
    const j = new Journal(f, 'staging', DEAD, redactor())
    const a1 = await snap(j, 'jane', 'jane@a')
    await snap(j, 'bob', 'bob@a')
    await j.restoreFailed(a1, 'inforouter', 'jane', ['email (expected "jane@a", found "x")'])
    const a2 = await snap(j, 'jane', 'x') // the next check saw jane still changed
    await j.restored(a2, 'inforouter', 'jane')
    const { events } = readJournal(f)
    expect(openSnapshots(events).map((e) => [e.user, e.state.email])).toEqual([
      ['jane', 'jane@a'],
      ['bob', 'bob@a'],
    ])
    const users = openUsers(events)
    expect(users.map((u) => [u.first.user, u.first.state.email, u.ids.length])).toEqual([
      ['jane', 'jane@a', 1],
      ['bob', 'bob@a', 1],
    ])
    expect(() => refuseUnfinishedJournal(f)).toThrow(
      /JOURNAL_UNFINISHED|may have left 2 fixture user\(s\) of target "staging" changed \(inforouter user jane, inforouter user bob\)/,
    )
    expect(settleJournal(f).open).toHaveLength(2)
  })

  test('a journal written by a process that is still running is not taken over', async () => {
    const f = file()
    const j = new Journal(f, 'staging', process.ppid, redactor())
    await snap(j, 'jane', 'jane@a')
    expect(() => refuseUnfinishedJournal(f)).toThrow(/a run \(pid \d+\) is still writing this journal/)
  })

  test('the journal keeps the attributes restore needs, never a secret of the API', () => {
    const project = loadProject()
    const lm = project.apis.get('logicmelon')!
    expect(journalAttrs(lm, { username: 'lm1', password: 'Pw-1', apiKey: 'key-1', userId: '20001', role: 'Recruiter', firstName: 'Fix' })).toEqual({
      username: 'lm1',
      userId: '20001',
    })
    const ir = project.apis.get('inforouter')!
    expect(journalAttrs(ir, { userName: 'jane', password: 'Pw-2', email: 'j@x' })).toEqual({ userName: 'jane' })
  })

  test('each event is one line, written and synced before the call returns; a settled journal is archived', async () => {
    const f = file()
    await appendEvent(f, event('x'))
    await appendEvent(f, event('y'))
    expect(readFileSync(f, 'utf8').split('\n')).toEqual([JSON.stringify(event('x')), JSON.stringify(event('y')), ''])
    const j = new Journal(f, 'staging', DEAD, redactor())
    const id = await snap(j, 'jane', 'jane@a')
    await j.restored(id, 'inforouter', 'jane')
    await j.restored('x', 'a', 'u')
    await j.restored('y', 'a', 'u')
    expect(() => refuseUnfinishedJournal(f)).not.toThrow()
    expect(existsSync(f)).toBe(false)
    expect(readJournal(join(f, '..', 'journal.done.jsonl')).events).toHaveLength(6)
  })
})

describe('no secret in the journal', () => {
  test('a snapshot whose state or key holds a secret is refused before anything is written (the check stops there)', async () => {
    const f = file()
    const j = new Journal(f, 'staging', DEAD, redactor(`Pw&ZZTOP'9731"<x>`, 'ab'))
    for (const [user, state] of [
      ['jane', { email: `x Pw&amp;ZZTOP'9731"&lt;x&gt; y` }],
      ['jane', { firstName: 'ab' }],
      [`Pw&ZZTOP'9731"<x>`, { email: 'j@x' }],
    ] as const) {
      const e = await thrown(j.snapshot({ api: 'inforouter', user, check: 'c', binding: 'soap11', attrs: { userName: user }, state }))
      expect(e.code).toBe('JOURNAL_SECRET')
      expect(e.category).toBe('setup')
      expect(e.message).not.toContain('ZZTOP')
    }
    expect(existsSync(f)).toBe(false)
    // Allowed: values that merely share characters with a short secret ("ab" inside a word).
    await j.snapshot({
      api: 'inforouter',
      user: 'jane',
      check: 'c',
      binding: 'soap11',
      attrs: { userName: 'jane' },
      state: { firstName: 'Abbey', lastName: 'about' },
    })
    expect(readJournal(f).events).toHaveLength(1)
  })

  test('the free text of restore failures is redacted, in any encoding', async () => {
    const f = file()
    const secret = `Pw&ZZTOP'9731"<x>`
    const j = new Journal(f, 'staging', DEAD, redactor(secret))
    const id = await snap(j, 'jane', 'jane@a')
    await j.restoreFailed(id, 'inforouter', 'jane', [
      `could not read back: got ${JSON.stringify({ Password: secret })}`,
      `<p>Pw&amp;ZZTOP&#39;9731&quot;&lt;x&gt;</p>`,
      `PWD=${encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())}`,
    ])
    const text = readFileSync(f, 'utf8')
    expect(text).not.toContain('ZZTOP')
    expect(readJournal(f).events[1]).toMatchObject({
      event: 'restore-failed',
      fields: ['could not read back: got {"Password":"***"}', '<p>***</p>', 'PWD=***'],
    })
  })
})

describe('every append is checked: a short or failed write stops the check before the write it protects', () => {
  test('a short write throws JOURNAL_WRITE_FAILED (setup) and takes its bytes back; the next append is whole', async () => {
    const f = file()
    const j = new Journal(f, 'staging', DEAD, redactor())
    await snap(j, 'jane', 'jane@a')
    const before = readFileSync(f, 'utf8')
    // A full disk: the kernel takes part of the line and says so.
    const short: JournalWrite = (fh, data) => fh.write(data, 0, Math.floor(data.length / 2))
    const cut = new Journal(f, 'staging', DEAD, redactor(), short)
    const e = await thrown(snap(cut, 'bob', 'bob@a'))
    expect(e.code).toBe('JOURNAL_WRITE_FAILED')
    expect(e.category).toBe('setup')
    expect(e.message).toMatch(/a snapshot event was cut short \(\d+ of \d+ bytes written; is the disk full\?\)/)
    expect(readFileSync(f, 'utf8')).toBe(before)
    expect(readJournal(f).broken).toEqual([])
    await snap(j, 'bob', 'bob@a')
    expect(readJournal(f)).toMatchObject({ broken: [], events: [{ user: 'jane' }, { user: 'bob' }] })
  })

  test('a write that fails (a real full device: /dev/full answers ENOSPC) throws JOURNAL_WRITE_FAILED', async () => {
    const f = file()
    symlinkSync('/dev/full', f)
    const e = await thrown(snap(new Journal(f, 'staging', DEAD, redactor()), 'jane', 'jane@a'))
    expect(e.code).toBe('JOURNAL_WRITE_FAILED')
    expect(e.message).toMatch(/a snapshot event could not be written: ENOSPC/)
  })

  test('a journal that cannot be opened throws JOURNAL_WRITE_FAILED', async () => {
    const e = await thrown(appendEvent(join(file(), 'no-such-folder', 'journal.jsonl'), event('x')))
    expect(e.code).toBe('JOURNAL_WRITE_FAILED')
  })
})

describe('appends that arrive together are written and synced together (group commit)', () => {
  test('each resolves once its line is on disk; those that waited for an append under way share one write, in order', async () => {
    const f = file()
    const writes: number[] = []
    const counting: JournalWrite = (fh, data) => {
      writes.push(data.toString().split('\n').filter(Boolean).length)
      return fh.write(data, 0, data.length)
    }
    const names = Array.from({ length: 10 }, (_, i) => `e${i}`)
    await Promise.all(
      names.map((n) =>
        appendEvent(f, event(n), counting).then(() => {
          // Resolved: its line is in the file.
          expect(readFileSync(f, 'utf8')).toContain(JSON.stringify(event(n)))
        }),
      ),
    )
    expect(readFileSync(f, 'utf8').split('\n')).toEqual([...names.map((n) => JSON.stringify(event(n))), ''])
    // The first went alone; the nine that arrived while it was written went in one write.
    expect(writes).toEqual([1, 9])
  })

  test('a short write of a batch fails every event of it (JOURNAL_WRITE_FAILED) and takes all its bytes back', async () => {
    const f = file()
    await appendEvent(f, event('first'))
    const before = readFileSync(f, 'utf8')
    const writes: number[] = []
    const short: JournalWrite = (fh, data) => {
      writes.push(data.toString().split('\n').filter(Boolean).length)
      return fh.write(data, 0, Math.floor(data.length / 2))
    }
    const results = await Promise.allSettled(['a', 'b', 'c'].map((n) => appendEvent(f, event(n), short)))
    // However they were grouped (the three arrive together, while the first append's handle may still be closing).
    expect(writes.reduce((a, b) => a + b, 0)).toBe(3)
    expect(writes.some((n) => n > 1)).toBe(true)
    for (const r of results) {
      expect(r.status).toBe('rejected')
      const e = (r as PromiseRejectedResult).reason as ConformError
      expect(e.code).toBe('JOURNAL_WRITE_FAILED')
      expect(e.message).toMatch(/(a snapshot event was|\d+ events \(snapshot\) were) cut short/)
    }
    expect(readFileSync(f, 'utf8')).toBe(before)
    expect(readJournal(f).broken).toEqual([])
    await appendEvent(f, event('d'))
    expect(readJournal(f)).toMatchObject({ broken: [], events: [{ id: 'first' }, { id: 'd' }] })
  })
})

describe('batches that keep coming go through one open journal', () => {
  test('one handle for them all; a line someone else left unfinished meanwhile is still closed first', async () => {
    const f = file()
    const handles = new Set<unknown>()
    const later: Array<Promise<void>> = []
    let n = 0
    const chained: JournalWrite = async (fh, data) => {
      handles.add(fh)
      const r = await fh.write(data, 0, data.length)
      n++
      // The next batch arrives while this one is being synced; after the second, another process's cut line.
      if (n === 2) appendFileSync(f, '{"cut": ')
      if (n < 4) later.push(appendEvent(f, event(`e${n}`), chained))
      return r
    }
    await appendEvent(f, event('e0'), chained)
    while (later.length < 3) await new Promise((r) => setImmediate(r))
    await Promise.all(later)
    expect(handles.size).toBe(1)
    const text = readFileSync(f, 'utf8')
    expect(text).toContain('{"cut": \n')
    expect(readJournal(f).events.map((e) => e.id)).toEqual(['e0', 'e1', 'e2', 'e3'])
    expect(readJournal(f).broken).toEqual([3])
  })
})

describe('a line cut short is reported loudly, never skipped', () => {
  const cutJournal = async () => {
    const f = file()
    const j = new Journal(f, 'staging', DEAD, redactor())
    const id = await snap(j, 'jane', 'jane@a')
    await j.restored(id, 'inforouter', 'jane')
    appendFileSync(f, '{"v":1,"event":"snapsh')
    return f
  }

  test('a run refuses to start (JOURNAL_CUT, naming file:line); the end of a run does not archive it', async () => {
    const f = await cutJournal()
    expect(readJournal(f).broken).toEqual([3])
    expect(() => refuseUnfinishedJournal(f)).toThrow(
      new RegExp(`JOURNAL_CUT|1 line\\(s\\) of the journal were cut short \\(${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3\\)`),
    )
    expect(settleJournal(f)).toMatchObject({ open: [], broken: [3] })
    expect(existsSync(f)).toBe(true)
  })

  test('conform restore names the line and exits 1, the journal stays; --abandon then settles it', async () => {
    const f = await cutJournal()
    const r = await conform(['restore', '--journal', f])
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stderr).toContain(`JOURNAL_CUT ${f}:3: 1 line(s) of the journal were cut short`)
    expect(existsSync(f)).toBe(true)
    const again = await conform(['restore', '--journal', f, '--abandon'])
    expect(again.code, again.stdout + again.stderr).toBe(0)
    expect(existsSync(f)).toBe(false)
  })
})

describe('conform restore resolves what the journal leaves out from the config and environment', () => {
  test('an account by its user key, its credentials resolved now; every configured secret, for redaction', () => {
    const project = loadProject()
    const lm = project.apis.get('logicmelon')!
    const fixtures = {
      Administrator: [{ username: 'lm-admin', password: '${env:T_PW1}', apiKey: '${env:T_KEY}' }],
      Recruiter: [{ username: '${env:T_USER2}', password: '${env:T_PW2}', apiKey: '${env:T_UNSET}' }],
    }
    process.env.T_PW1 = 'secret-1'
    process.env.T_PW2 = 'secret-2'
    process.env.T_KEY = 'key-1'
    process.env.T_USER2 = 'lm-rec'
    try {
      expect(accountByKey(lm, fixtures, 'lm-rec')).toEqual({ username: 'lm-rec', password: 'secret-2' })
      expect(accountByKey(lm, fixtures, 'lm-admin')).toEqual({ username: 'lm-admin', password: 'secret-1', apiKey: 'key-1' })
      expect(accountByKey(lm, fixtures, 'nobody')).toBeUndefined()
      expect(configuredSecrets(project.apis, { logicmelon: { baseUrl: 'http://x', fixtures } }).sort()).toEqual(['key-1', 'secret-1', 'secret-2'])
    } finally {
      for (const k of ['T_PW1', 'T_PW2', 'T_KEY', 'T_USER2']) delete process.env[k]
    }
  })
})

const stagings: Staging[] = []
afterAll(async () => {
  for (const s of stagings) await s.close()
})

describe('against a staging-like target', () => {
  test('a journal on a full device: every write check fails as setup (JOURNAL_WRITE_FAILED) and the target gets no write', async () => {
    const s = await new Staging().start()
    stagings.push(s)
    Object.assign(process.env, s.env)
    const project = loadProject()
    const journal = join(s.dir, 'journal.jsonl')
    symlinkSync('/dev/full', journal)
    const target: ResolvedTarget = {
      name: 'staging',
      allowWrites: true,
      limits: { concurrency: 2, timeoutMs: 10_000, maxBodyBytes: 2_000_000 },
      apis: { inforouter: { baseUrl: s.url, fixtures: s.accounts.inforouter! } },
    }
    const cases = planChecks(project, target, { apis: ['inforouter'], bindings: ['soap11'], covers: ['IC-1', 'IE-4'] })
    expect(cases.length).toBeGreaterThan(0)
    const before = s.users()
    const runner = new Runner({ target, apis: project.apis, catalogue: project.catalogue, seed: 4, journal: { file: journal, pid: process.pid } })
    const results = await runner.runAll(cases)
    await runner.close()
    for (const r of results.filter((x) => x.status !== 'skipped')) {
      expect(r.status, r.id).toBe('failed')
      expect(r.category, r.id).toBe('setup')
      expect(r.message, r.id).toMatch(/JOURNAL_WRITE_FAILED|a snapshot event could not be written: ENOSPC/)
    }
    expect(s.writes).toEqual([])
    expect(s.users()).toEqual(before)
  })

  test('conform restore: output and journal carry no password of any account; credentials come from the config', async () => {
    const s = await new Staging().start()
    stagings.push(s)
    const config = s.config({ allowWrites: true, apis: ['inforouter'] })
    // A journal as a killed run leaves it: one open snapshot of a member, whose state (a target that echoes a
    // password in another field) holds that member's password. The reader (sysadmin) never logs in as the member.
    const member = s.accounts.inforouter!.member![0]!
    const password = s.env[/\$\{env:(\w+)\}/.exec(member.password!)![1]!]!
    const journal = join(mkdtempSync(join(s.dir, 'j-')), 'journal.jsonl')
    const state = { userName: member.userName, email: password, mobileNumber: '15550001111' }
    writeFileSync(
      journal,
      `${JSON.stringify({ ...event('s1'), target: 'staging', api: 'inforouter', user: member.userName, run: { pid: DEAD, host: 'gone' }, attrs: { userName: member.userName }, state })}\n`,
    )
    // The restore's write is dropped: the user cannot be verified, and the message names what differs.
    s.dropWrites = true
    const r = await conform(['restore', '--journal', journal, '--config', config], s.env)
    s.dropWrites = false
    expect(r.code, r.stdout + r.stderr).toBe(1)
    expect(r.stderr).toMatch(
      new RegExp(`RESTORE NOT VERIFIED: inforouter user ${member.userName} \\(target staging\\): .*email \\(expected "\\*\\*\\*", found `),
    )
    const journaled = readFileSync(journal, 'utf8')
    expect(readJournal(journal).events.map((e) => e.event)).toEqual(['snapshot', 'restore-failed'])
    const written = r.stdout + r.stderr + journaled.split('\n').slice(1).join('\n')
    for (const secret of s.secrets) expect(written.includes(secret), 'a secret in the output or in what restore journaled').toBe(false)
  })
})

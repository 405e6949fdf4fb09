import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { appendEvent, Journal, openSnapshots, openUsers, readJournal, type SnapshotEvent } from '../../src/engine/journal.ts'
import { journalAttrs } from '../../src/engine/user-state.ts'
import { refuseUnfinishedJournal, settleJournal } from '../../src/run/journal-check.ts'
import { loadProject } from '../../src/project.ts'

const file = () => join(mkdtempSync(join(tmpdir(), 'conform-journal-')), 'journal.jsonl')
const snap = (j: Journal, user: string, email: string) => j.snapshot({ api: 'inforouter', user, check: 'c@soap11', binding: 'soap11', attrs: { userName: user }, state: { email } })

describe('journal', () => {
  test('a snapshot stays open until restored; restoring to the OLDEST open snapshot of a user settles all of them', async () => {
    const f = file()
    // A pid that cannot be a live process on this host, as after a crash.
    const j = new Journal(f, 'staging', 2 ** 22 + 1)
    const a1 = await snap(j, 'jane', 'jane@a')
    await snap(j, 'bob', 'bob@a')
    await j.restoreFailed(a1, 'inforouter', 'jane', ['email (expected "jane@a", found "x")'])
    const a2 = await snap(j, 'jane', 'x') // the next check saw jane still changed
    await j.restored(a2, 'inforouter', 'jane')
    const { events } = readJournal(f)
    expect(openSnapshots(events).map((e) => [e.user, e.state.email])).toEqual([['jane', 'jane@a'], ['bob', 'bob@a']])
    const users = openUsers(events)
    expect(users.map((u) => [u.first.user, u.first.state.email, u.ids.length])).toEqual([['jane', 'jane@a', 1], ['bob', 'bob@a', 1]])
    expect(() => refuseUnfinishedJournal(f)).toThrow(/JOURNAL_UNFINISHED|may have left 2 fixture user\(s\) of target "staging" changed \(inforouter user jane, inforouter user bob\)/)
    expect(settleJournal(f).open).toHaveLength(2)
  })

  test('a line cut short by a crash is set aside, not guessed at; a settled journal is archived', async () => {
    const f = file()
    const j = new Journal(f, 'staging', 2 ** 22 + 1)
    const id = await snap(j, 'jane', 'jane@a')
    appendFileSync(f, '{"v":1,"event":"snapsh')
    const read = readJournal(f)
    expect(read.broken).toEqual([2])
    expect(openSnapshots(read.events)).toHaveLength(1)
    await j.restored(id, 'inforouter', 'jane')
    expect(() => refuseUnfinishedJournal(f)).not.toThrow()
    expect(readJournal(f).events).toEqual([])
    expect(readJournal(join(f, '..', 'journal.done.jsonl')).events).toHaveLength(2)
  })

  test('a journal written by a process that is still running is not taken over', async () => {
    const f = file()
    const j = new Journal(f, 'staging', process.ppid)
    await snap(j, 'jane', 'jane@a')
    expect(() => refuseUnfinishedJournal(f)).toThrow(/a run \(pid \d+\) is still writing this journal/)
  })

  test('the journal keeps the attributes restore needs, never a secret of the API', () => {
    const project = loadProject()
    const lm = project.apis.get('logicmelon')!
    expect(journalAttrs(lm, { username: 'lm1', password: 'Pw-1', apiKey: 'key-1', userId: '20001', role: 'Recruiter', firstName: 'Fix' })).toEqual({ username: 'lm1', userId: '20001' })
    const ir = project.apis.get('inforouter')!
    expect(journalAttrs(ir, { userName: 'jane', password: 'Pw-2', email: 'j@x' })).toEqual({ userName: 'jane' })
  })

  test('each event is one line, written and synced before the call returns', async () => {
    const f = file()
    const e: SnapshotEvent = { v: 1, event: 'snapshot', at: 'now', id: 'x', target: 't', api: 'a', user: 'u', run: { pid: 1, host: 'h' }, check: 'c', binding: 'soap11', attrs: {}, state: {} }
    await appendEvent(f, e)
    await appendEvent(f, { ...e, id: 'y' })
    expect(readFileSync(f, 'utf8').split('\n')).toEqual([JSON.stringify(e), JSON.stringify({ ...e, id: 'y' }), ''])
  })
})

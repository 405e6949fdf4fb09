import { existsSync, readFileSync, renameSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { BindingName } from '../bindings/types.ts'
import type { UserState } from './expectations.ts'

/**
 * The restore journal: one JSON line per event, appended and fsynced before the request it protects is sent.
 * A `snapshot` is written before a check touches a fixture user; `restored` once the user was put back and read
 * back equal. A snapshot with neither `restored` nor `abandoned` after it is open: the user may still be changed,
 * and `conform restore` puts it back. Events are keyed by target, API and user (the API's user key).
 */

export const JOURNAL_FILE = 'journal.jsonl'
export const JOURNAL_DONE_FILE = 'journal.done.jsonl'

interface EventBase {
  v: 1
  at: string
  /** The snapshot this event is about. */
  id: string
  target: string
  api: string
  user: string
}

export interface SnapshotEvent extends EventBase {
  event: 'snapshot'
  /** The `conform run` process that wrote it (pid and host), so a restore can tell a live run from a dead one. */
  run: { pid: number; host: string }
  check: string
  binding: BindingName
  /** The user's attributes the read-back and restore calls need (ids, names); never the API's secrets. */
  attrs: Record<string, string>
  /** The user's state as the read-back call showed it before the check. */
  state: UserState
}

export interface RestoredEvent extends EventBase {
  event: 'restored'
  /** Who restored: the check itself, or `conform restore` replaying the journal. */
  by: 'check' | 'replay'
}

export interface RestoreFailedEvent extends EventBase {
  event: 'restore-failed'
  by: 'check' | 'replay'
  /** The fields that still differ, with expected and found values. */
  fields: string[]
}

export interface AbandonedEvent extends EventBase {
  event: 'abandoned'
}

export type JournalEvent = SnapshotEvent | RestoredEvent | RestoreFailedEvent | AbandonedEvent

/**
 * Appends one event and forces it to disk before resolving: the request it protects comes after. Asynchronous, so
 * the other checks of the worker go on meanwhile.
 */
export async function appendEvent(file: string, event: JournalEvent): Promise<void> {
  const fh = await open(file, 'a+', 0o600)
  try {
    // A line a killed process left unfinished is closed first, so this event does not join it.
    const { size } = await fh.stat()
    const last = size > 0 ? await fh.read(Buffer.alloc(1), 0, 1, size - 1) : undefined
    const lead = last && last.bytesRead === 1 && last.buffer[0] !== 0x0a ? '\n' : ''
    // One write of one line: O_APPEND keeps lines from concurrent workers whole.
    await fh.write(`${lead}${JSON.stringify(event)}\n`)
    await fh.sync()
  } finally {
    await fh.close()
  }
}

export interface ReadJournal {
  events: JournalEvent[]
  /** Lines that are not events (a line cut short by a crash); reported, never guessed at. */
  broken: number[]
}

export function readJournal(file: string): ReadJournal {
  const events: JournalEvent[] = []
  const broken: number[] = []
  if (!existsSync(file)) return { events, broken }
  readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return
    try {
      const e = JSON.parse(line) as JournalEvent
      if (e && e.v === 1 && typeof e.id === 'string' && typeof e.event === 'string') events.push(e)
      else broken.push(i + 1)
    } catch {
      broken.push(i + 1)
    }
  })
  return { events, broken }
}

/** Snapshots not yet restored (nor abandoned), oldest first. */
export function openSnapshots(events: readonly JournalEvent[]): SnapshotEvent[] {
  const closed = new Set(events.filter((e) => e.event === 'restored' || e.event === 'abandoned').map((e) => e.id))
  return events.filter((e): e is SnapshotEvent => e.event === 'snapshot' && !closed.has(e.id))
}

/**
 * Open snapshots per user. When a check could not restore a user, a later check snapshots the changed user: the
 * state to go back to is the OLDEST open snapshot, and restoring to it settles every open snapshot of that user.
 */
export function openUsers(events: readonly JournalEvent[]): Array<{ first: SnapshotEvent; ids: string[] }> {
  const byUser = new Map<string, { first: SnapshotEvent; ids: string[] }>()
  for (const s of openSnapshots(events)) {
    const key = JSON.stringify([s.target, s.api, s.user])
    const entry = byUser.get(key)
    if (entry) entry.ids.push(s.id)
    else byUser.set(key, { first: s, ids: [s.id] })
  }
  return [...byUser.values()]
}

/** Whether a run that wrote these snapshots may still be going (same host, process alive). */
export function liveRun(snapshots: readonly SnapshotEvent[]): number | undefined {
  const here = hostname()
  for (const s of snapshots) {
    if (s.run.host !== here || s.run.pid === process.pid) continue
    try {
      process.kill(s.run.pid, 0)
      return s.run.pid
    } catch {
      // gone
    }
  }
  return undefined
}

/** Moves a settled journal aside (replacing the previous one): its presence no longer blocks a run. */
export function archiveJournal(file: string, done: string): void {
  if (existsSync(file)) renameSync(file, done)
}

/** The journal one run writes to: a file, the run's target and process, and an id per snapshot. */
export class Journal {
  readonly file: string
  private readonly target: string
  private readonly run: { pid: number; host: string }

  constructor(file: string, target: string, runPid: number) {
    this.file = file
    this.target = target
    this.run = { pid: runPid, host: hostname() }
  }

  async snapshot(s: { api: string; user: string; check: string; binding: BindingName; attrs: Record<string, string>; state: UserState }): Promise<string> {
    const id = randomUUID()
    await appendEvent(this.file, { v: 1, event: 'snapshot', at: new Date().toISOString(), id, target: this.target, run: this.run, ...s })
    return id
  }

  restored(id: string, api: string, user: string): Promise<void> {
    return appendEvent(this.file, { v: 1, event: 'restored', at: new Date().toISOString(), id, target: this.target, api, user, by: 'check' })
  }

  restoreFailed(id: string, api: string, user: string, fields: string[]): Promise<void> {
    return appendEvent(this.file, { v: 1, event: 'restore-failed', at: new Date().toISOString(), id, target: this.target, api, user, by: 'check', fields })
  }
}

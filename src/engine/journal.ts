import { existsSync, readFileSync, renameSync } from 'node:fs'
import { open as openFile, type FileHandle } from 'node:fs/promises'
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import type { BindingName } from '../bindings/types.ts'
import { ConformError } from '../errors.ts'
import type { Redactor } from '../redact.ts'
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

/** Writes bytes at the end of an open journal; the number written may fall short (a full disk). */
export type JournalWrite = (fh: FileHandle, data: Uint8Array) => Promise<{ bytesWritten: number }>

const writeOnce: JournalWrite = (fh, data) => fh.write(data, 0, data.length)

/** A journal event that did not reach the disk whole: the request it protects must not be sent. */
export function journalWriteFailed(file: string, what: string, cause?: unknown): ConformError {
  const why = cause instanceof Error ? `: ${(cause as NodeJS.ErrnoException).code ?? cause.message}` : ''
  return new ConformError(
    'JOURNAL_WRITE_FAILED',
    'setup',
    `${file}: ${what}${why}. Nothing was sent that this event protects; free the disk (or fix the folder) and run again`,
  )
}

/** Events waiting to be appended to one file, in order, each batch with the write that appends it. */
interface FileQueue {
  writing: boolean
  waiting: Array<{ write: JournalWrite; items: Array<{ event: JournalEvent; resolve(): void; reject(e: unknown): void }> }>
}

/**
 * Appends to one file never overlap within this process: a failed append can then take back exactly its own bytes.
 * Events that arrive while an append is under way go together in the next (one write, one fsync: group commit).
 */
const queues = new Map<string, FileQueue>()

/**
 * Appends one event and forces it to disk before resolving: the request it protects comes after. Asynchronous, so
 * the other checks of the run go on meanwhile; events that arrive while another append is under way are written and
 * synced together next, each resolving once that is done. Every byte is accounted for: an append that fails, or
 * writes less than the whole of its lines, is taken back (the file cut to where it was) and each of its events throws
 * JOURNAL_WRITE_FAILED (category setup). `write` is for tests (a short write is hard to get from a real disk).
 */
export function appendEvent(file: string, event: JournalEvent, write: JournalWrite = writeOnce): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let q = queues.get(file)
    if (!q) {
      q = { writing: false, waiting: [] }
      queues.set(file, q)
    }
    const last = q.waiting.at(-1)
    if (last && last.write === write) last.items.push({ event, resolve, reject })
    else q.waiting.push({ write, items: [{ event, resolve, reject }] })
    if (!q.writing) void drain(file, q)
  })
}

/**
 * Appends the waiting batches, one after another, through one open handle for as long as batches keep coming (each
 * then costs a stat, a write and an fsync: no open, read or close of its own); closed once none is left.
 */
async function drain(file: string, q: FileQueue): Promise<void> {
  q.writing = true
  for (;;) {
    const held: OpenJournal = { fh: undefined, end: -1 }
    for (let batch = q.waiting.shift(); batch; batch = q.waiting.shift()) {
      try {
        await appendNow(
          file,
          held,
          batch.items.map((i) => i.event),
          batch.write,
        )
        for (const i of batch.items) i.resolve()
      } catch (e) {
        for (const i of batch.items) i.reject(e)
      }
    }
    await held.fh?.close().catch(() => undefined)
    // Events that came while the handle was being closed: appended by the same turn of this loop, never lost.
    if (q.waiting.length === 0) break
  }
  q.writing = false
  queues.delete(file)
}

/** The journal as `drain` holds it open: its handle, and where its last append ended (-1: not known). */
interface OpenJournal {
  fh: FileHandle | undefined
  end: number
}

async function appendNow(file: string, held: OpenJournal, events: readonly JournalEvent[], write: JournalWrite): Promise<void> {
  const what = events.length === 1 ? `a ${events[0]!.event} event` : `${events.length} events (${[...new Set(events.map((e) => e.event))].join(', ')})`
  const was = events.length === 1 ? 'was' : 'were'
  if (!held.fh) {
    try {
      held.fh = await openFile(file, 'a+', 0o600)
    } catch (e) {
      throw journalWriteFailed(file, `the journal could not be opened to record ${what}`, e)
    }
  }
  const fh = held.fh
  // Where the file ends now: where this append is taken back to if it fails.
  const { size } = await fh.stat()
  // A line a killed process left unfinished is closed first, so this event does not join it (looked at unless the
  // file ends where this handle's last append did, with its newline).
  const last = size > 0 && size !== held.end ? await fh.read(Buffer.alloc(1), 0, 1, size - 1) : undefined
  const lead = last && last.bytesRead === 1 && last.buffer[0] !== 0x0a ? '\n' : ''
  // One write of whole lines: O_APPEND keeps lines from concurrent processes whole.
  const lines = Buffer.from(`${lead}${events.map((e) => `${JSON.stringify(e)}\n`).join('')}`, 'utf8')
  let written: number
  try {
    written = (await write(fh, lines)).bytesWritten
  } catch (e) {
    await takeBack(fh, size)
    held.end = -1
    throw journalWriteFailed(file, `${what} could not be written`, e)
  }
  if (written !== lines.length) {
    await takeBack(fh, size)
    held.end = -1
    throw journalWriteFailed(file, `${what} ${was} cut short (${written} of ${lines.length} bytes written; is the disk full?)`)
  }
  try {
    await fh.sync()
  } catch (e) {
    held.end = -1
    throw journalWriteFailed(file, `${what} could not be forced to disk`, e)
  }
  held.end = size + written
  // A new file's name must survive a crash too.
  if (size === 0) await syncFolder(dirname(file))
}

/** Cuts the journal back to `size` after a failed append (best effort: a line left cut is reported when read). */
async function takeBack(fh: FileHandle, size: number): Promise<void> {
  try {
    await fh.truncate(size)
  } catch {
    // readJournal reports the cut line; conform restore and the next run stop on it.
  }
}

async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return
  const dir = await openFile(folder, 'r')
  try {
    await dir.sync()
  } finally {
    await dir.close()
  }
}

export interface ReadJournal {
  events: JournalEvent[]
  /** Lines (1-based) that are not events: cut short by a crash or a full disk. Reported loudly, never guessed at. */
  broken: number[]
}

export function readJournal(file: string): ReadJournal {
  const events: JournalEvent[] = []
  const broken: number[] = []
  if (!existsSync(file)) return { events, broken }
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
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

/**
 * The journal one run writes to: a file, the run's target and process, and an id per snapshot. Nothing secret goes
 * in: a snapshot whose user key, attributes or state hold a secret the redactor knows is refused (the check stops
 * before it changes the user), and the free text of the other events (restore failures) is redacted.
 */
export class Journal {
  readonly file: string
  private readonly target: string
  private readonly run: { pid: number; host: string }
  private readonly redactor: Redactor
  private readonly write: JournalWrite | undefined

  constructor(file: string, target: string, runPid: number, redactor: Redactor, write?: JournalWrite) {
    this.file = file
    this.target = target
    this.run = { pid: runPid, host: hostname() }
    this.redactor = redactor
    this.write = write
  }

  async snapshot(s: { api: string; user: string; check: string; binding: BindingName; attrs: Record<string, string>; state: UserState }): Promise<string> {
    const kept = { user: s.user, attrs: s.attrs, state: s.state }
    const redacted = this.redactor.redactValue(kept)
    const secret = (['user', 'attrs', 'state'] as const).filter((k) => JSON.stringify(redacted[k]) !== JSON.stringify(kept[k]))
    if (secret.length) {
      // What would restore the user is itself a secret: keeping it would write it to disk in clear.
      throw new ConformError(
        'JOURNAL_SECRET',
        'setup',
        `${this.file}: the snapshot of ${s.api} user ${redacted.user} holds one of its secrets (in its ${secret.join(' and ')}); the journal never keeps one, so the check stops before it changes the user`,
      )
    }
    const id = randomUUID()
    await appendEvent(this.file, { v: 1, event: 'snapshot', at: new Date().toISOString(), id, target: this.target, run: this.run, ...s }, this.write)
    return id
  }

  restored(id: string, api: string, user: string): Promise<void> {
    return appendEvent(
      this.file,
      { v: 1, event: 'restored', at: new Date().toISOString(), id, target: this.target, api, user: this.redactor.redact(user), by: 'check' },
      this.write,
    )
  }

  restoreFailed(id: string, api: string, user: string, fields: string[]): Promise<void> {
    return appendEvent(
      this.file,
      {
        v: 1,
        event: 'restore-failed',
        at: new Date().toISOString(),
        id,
        target: this.target,
        api,
        user: this.redactor.redact(user),
        by: 'check',
        fields: this.redactor.redactValue(fields),
      },
      this.write,
    )
  }
}

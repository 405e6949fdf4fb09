import { dirname, join } from 'node:path'
import { ConformError } from '../errors.ts'
import { archiveJournal, JOURNAL_DONE_FILE, liveRun, openSnapshots, openUsers, readJournal, type SnapshotEvent } from '../engine/journal.ts'

/** Where a settled journal goes: beside it, as journal.done.jsonl. */
export function doneFileFor(journal: string): string {
  return join(dirname(journal), JOURNAL_DONE_FILE)
}

/** `file:line` of each line that is not a whole event. */
export function cutLines(file: string, broken: readonly number[]): string {
  return broken.map((n) => `${file}:${n}`).join(', ')
}

/**
 * Before a run: a journal with open snapshots means fixture users may still be changed by a run that was killed;
 * running again would snapshot the changed users as if they were the truth. Refuse (exit 2) until `conform restore`
 * has put them back. A line cut short (a crash or a full disk while it was written) is refused the same way: what it
 * said is unknown, `conform restore` reports it. A settled journal is archived so the new run starts a fresh one.
 */
export function refuseUnfinishedJournal(file: string): void {
  const { events, broken } = readJournal(file)
  const open = openSnapshots(events)
  if (broken.length) {
    throw new ConformError(
      'JOURNAL_CUT',
      'spec',
      `${file}: ${broken.length} line(s) of the journal were cut short (${cutLines(file, broken)}), by a crash or a full disk. Run conform restore first: conform restore --journal ${file}`,
    )
  }
  if (open.length === 0) {
    archiveJournal(file, doneFileFor(file))
    return
  }
  const pid = liveRun(open)
  if (pid !== undefined) {
    throw new ConformError('JOURNAL_IN_USE', 'spec', `${file}: a run (pid ${pid}) is still writing this journal; wait for it to end, or use another --out`)
  }
  const users = openUsers(events).map((u) => `${u.first.api} user ${u.first.user}`)
  throw new ConformError(
    'JOURNAL_UNFINISHED',
    'spec',
    `${file}: an interrupted run may have left ${users.length} fixture user(s) of target "${open[0]!.target}" changed (${users.join(', ')}). Run conform restore first: conform restore --journal ${file}`,
  )
}

/**
 * After a run: what the journal says; archived when every snapshot was restored and verified and no line was cut
 * short (`broken`: such lines keep the journal, and the next run refuses to start until conform restore saw them).
 */
export function settleJournal(file: string): { snapshots: number; open: Array<{ first: SnapshotEvent; ids: string[] }>; broken: number[] } {
  const { events, broken } = readJournal(file)
  const snapshots = events.filter((e) => e.event === 'snapshot').length
  const open = openUsers(events)
  if (open.length === 0 && broken.length === 0) archiveJournal(file, doneFileFor(file))
  return { snapshots, open, broken }
}

import { dirname, join } from 'node:path'
import { ConformError } from '../errors.ts'
import { archiveJournal, JOURNAL_DONE_FILE, liveRun, openSnapshots, openUsers, readJournal, type SnapshotEvent } from '../engine/journal.ts'

/** Where a settled journal goes: beside it, as journal.done.jsonl. */
export function doneFileFor(journal: string): string {
  return join(dirname(journal), JOURNAL_DONE_FILE)
}

/**
 * Before a run: a journal with open snapshots means fixture users may still be changed by a run that was killed;
 * running again would snapshot the changed users as if they were the truth. Refuse (exit 2) until `conform restore`
 * has put them back. A settled journal is archived so the new run starts a fresh one.
 */
export function refuseUnfinishedJournal(file: string): void {
  const { events } = readJournal(file)
  const open = openSnapshots(events)
  if (open.length === 0) {
    archiveJournal(file, doneFileFor(file))
    return
  }
  const pid = liveRun(open)
  if (pid !== undefined) {
    throw new ConformError('JOURNAL_IN_USE', 'spec', `${file}: a run (pid ${pid}) is still writing this journal; wait for it to end, or use another --out`)
  }
  const users = openUsers(events).map((u) => `${u.first.api} user ${u.first.user}`)
  throw new ConformError('JOURNAL_UNFINISHED', 'spec', `${file}: an interrupted run may have left ${users.length} fixture user(s) of target "${open[0]!.target}" changed (${users.join(', ')}). Run conform restore first: conform restore --journal ${file}`)
}

/** After a run: what the journal says; archived when every snapshot was restored and verified. */
export function settleJournal(file: string): { snapshots: number; open: Array<{ first: SnapshotEvent; ids: string[] }> } {
  const { events } = readJournal(file)
  const snapshots = events.filter((e) => e.event === 'snapshot').length
  const open = openUsers(events)
  if (open.length === 0) archiveJournal(file, doneFileFor(file))
  return { snapshots, open }
}

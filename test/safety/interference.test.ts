import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { openSnapshots, readJournal } from '../../src/engine/journal.ts'
import { conform } from '../helpers/cli.ts'
import { Staging, spawnConform, type Seen } from '../helpers/staging.ts'

/**
 * Two independent runs (different --out, so different journals) on the same fixture accounts: each snapshots a user
 * the other may have changed. Orchestrated through the proxy so that the order is fixed, not raced: run A updates a
 * member's e-mail and reads the member back (its check's own look after the request), that answer held; run B takes the
 * same member (its only check, its first account) and updates e-mail and mobile, its answer held in turn; then A
 * finishes. A's request could not set the mobile number, which matched A's snapshot at A's last look: someone else
 * changed it. A says so, fails the check (setup, INTERFERED), keeps
 * B's value (puts back only its own change), and leaves its snapshot open in its journal.
 */
const stagings: Staging[] = []
afterAll(async () => {
  for (const s of stagings) await s.close()
})

interface Gate {
  reached: Promise<Seen>
  release(): void
}

/** Holds the answer to the first request `match` selects (from the moment `arm` is called). */
function gate(s: Staging, match: (seen: Seen) => boolean): Gate & { arm(): void } {
  let armed = false
  let reached!: (seen: Seen) => void
  let release!: () => void
  const released = new Promise<void>((r) => {
    release = r
  })
  const g = {
    reached: new Promise<Seen>((r) => {
      reached = r
    }),
    release,
    arm: () => {
      armed = true
    },
  }
  const previous = s.onAnswered
  s.onAnswered = async (seen) => {
    await previous?.(seen)
    if (!armed || !match(seen)) return
    armed = false
    reached(seen)
    await released
  }
  return g
}

const memberRow = (s: Staging, name: string) => s.users().inforouter!.find((u) => u.user_name === name)!

describe('two independent runs on the same fixture accounts', () => {
  test('interference is reported, nothing of the other run overwritten, the snapshot left for conform restore', async () => {
    const s = await new Staging().start()
    stagings.push(s)
    const config = s.config({ allowWrites: true, apis: ['inforouter'] })
    const member = s.accounts.inforouter!.member![0]!.userName!
    const before = s.users()
    const original = memberRow(s, member)
    const [outA, outB] = [join(s.dir, 'run-a'), join(s.dir, 'run-b')]
    const common = ['run', '--target', 'staging', '--config', config, '--api', 'inforouter', '--binding', 'http-get', '--seed', '5']

    let updated = false
    const holdA = gate(s, (x) => {
      if (x.operation === 'UpdateUserEmail') updated = true
      return updated && x.operation === 'GetUser'
    })
    holdA.arm()
    const holdB = gate(s, (x) => x.operation === 'UpdateUserContactInfo')
    const a = spawnConform([...common, '--covers', 'IE-1', '--out', outA], s.env)
    await holdA.reached
    const changedByA = memberRow(s, member)
    expect(changedByA.email).not.toBe(original.email)

    holdB.arm()
    const b = spawnConform([...common, '--covers', 'IC-8', '--out', outB], s.env)
    await holdB.reached
    const changedByB = memberRow(s, member)
    expect(changedByB.mobile_number).not.toBe(original.mobile_number)

    holdA.release()
    const resultA = await a.done
    // A put back its own change (the e-mail) and left B's mobile number as B set it.
    const afterA = memberRow(s, member)
    expect(afterA.email).toBe(original.email)
    expect(afterA.mobile_number).toBe(changedByB.mobile_number)
    expect(resultA.code, resultA.stdout + resultA.stderr).toBe(1)
    expect(resultA.stdout).toMatch(
      new RegExp(
        `INTERFERED: user ${member} field mobileNumber changed by someone else \\(snapshot "${original.mobile_number}", found "${changedByB.mobile_number}"\\)`,
      ),
    )
    const journalA = readJournal(join(outA, 'journal.jsonl')).events
    expect(openSnapshots(journalA).map((e) => e.user)).toEqual([member])
    expect(journalA.filter((e) => e.event === 'restore-failed').flatMap((e) => (e.event === 'restore-failed' ? e.fields : []))).toEqual([
      expect.stringMatching(/^INTERFERED: field mobileNumber changed by someone else/),
    ])

    holdB.release()
    const resultB = await b.done
    // B snapshotted A's e-mail and put it back: that is what B saw, and why each concurrent run needs its own accounts.
    expect(resultB.stdout + resultB.stderr).not.toMatch(/INTERFERED/)
    expect(memberRow(s, member).email).toBe(changedByA.email)

    // A's journal still holds the state from before both runs: conform restore puts the member back.
    const restored = await conform(['restore', '--out', outA, '--config', config], s.env)
    expect(restored.code, restored.stdout + restored.stderr).toBe(0)
    expect(existsSync(join(outA, 'journal.jsonl'))).toBe(false)
    expect(s.users()).toEqual(before)
  }, 240_000)
})

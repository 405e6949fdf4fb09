import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { JOURNAL_DONE_FILE, JOURNAL_FILE, readJournal, type SnapshotEvent } from '../engine/journal.ts'
import { ConformError } from '../errors.ts'
import type { ConformanceReport } from '../report/conformance.ts'
import { CONTROL_COMMENT, type Har, type HarEntry } from '../report/har.ts'

/** One answer a check received, as the comparison sees it. */
export interface RecordedAnswer {
  operation: string
  method: string
  /** Path and query only: two targets have different hosts. */
  path: string
  status: number
  contentType: string
  body: string
  /** The step of the check that made the exchange (`call`, `read back`, …; see CheckStep) and its place in the check's steps. */
  step?: string
  stepIndex?: number
  /** What was sent (redacted as the HAR holds it): where the check names its users. */
  request?: { contentType: string; body: string }
}

/** One user of a check as the run knew it before the check acted: field → value (secrets are never among them). */
export type UserRecord = Record<string, string>

export type RecordedCheck = ConformanceReport['checks'][number] & {
  /** The exchanges that are the check's behaviour, in order: the ones compared. */
  answers: RecordedAnswer[]
  /** How the run got ready (logging in, reading the users before acting): how it does so depends on the target. */
  setup?: RecordedAnswer[]
  /** Its users as the run knew them before the check: provisioned (the reference) or fixture accounts (the journal). */
  users?: UserRecord[]
}

/** What a finished run left in its folder: conformance.json and exchanges.har, joined per check. */
export interface RunRecord {
  dir: string
  target: string
  seed: number
  deviations: string[]
  checks: Map<string, RecordedCheck>
}

/**
 * Steps that are the harness's, not the target's behaviour, and depend on the kind of target: users are provisioned for
 * each check on the embedded reference and lent by fixture accounts elsewhere, whose sessions and last verified state a
 * run may reuse (no login, no read), and only fixture accounts are put back afterwards.
 */
const SETUP = new Set(['provision', 'authenticate', 'snapshot'])
const BOOKKEEPING = new Set(['restore'])

/** Pure: joins a run's report, HAR and (if there is one) restore journal. */
export function recordOf(dir: string, report: ConformanceReport, har: Har, journal: SnapshotEvent[] = []): RunRecord {
  const entries = new Map<string, HarEntry[]>()
  const control = new Map<string, HarEntry[]>()
  for (const e of [...har.log.entries].sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime))) {
    // Provisioning on the embedded reference is not an answer of the target: a configured target has none.
    const map = e.comment === CONTROL_COMMENT ? control : entries
    map.set(e.pageref, [...(map.get(e.pageref) ?? []), e])
  }
  const snapshots = new Map<string, SnapshotEvent[]>()
  for (const s of journal) snapshots.set(s.check, [...(snapshots.get(s.check) ?? []), s])
  const checkOf = (check: ConformanceReport['checks'][number]): RecordedCheck => {
    // Step exchange indices count the check's own exchanges in the order they started, as its HAR page lists them.
    const stepOf = new Map<number, { name: string; index: number }>()
    ;(check.steps ?? []).forEach((s, index) => {
      for (const i of s.exchanges) stepOf.set(i, { name: s.name, index })
    })
    const answers: RecordedAnswer[] = []
    const setup: RecordedAnswer[] = []
    ;(entries.get(check.id) ?? []).forEach((e, i) => {
      const step = stepOf.get(i)
      if (step && BOOKKEEPING.has(step.name)) return
      const url = new URL(e.request.url)
      const answer: RecordedAnswer = {
        operation: e._operation,
        method: e.request.method,
        path: `${url.pathname}${url.search}`,
        status: e.response.status,
        contentType: e.response.content.mimeType,
        body: e.response.content.text ?? e.response._error ?? '',
        ...(step ? { step: step.name, stepIndex: step.index } : {}),
        request: { contentType: e.request.postData?.mimeType ?? '', body: e.request.postData?.text ?? '' },
      }
      ;(step && SETUP.has(step.name) ? setup : answers).push(answer)
    })
    const users = [...(control.get(check.id) ?? []).map(provisioned), ...(snapshots.get(check.id) ?? []).map((s) => record({ ...s.state, ...s.attrs }))].filter(
      (u) => Object.keys(u).length > 0,
    )
    return { ...check, answers, setup, users }
  }
  return {
    dir,
    target: report.target,
    seed: report.seed,
    deviations: report.deviations ?? [],
    checks: new Map(report.checks.map((c) => [c.id, checkOf(c)])),
  }
}

/** A user the embedded reference provisioned: what was asked for and what it answered (IDs), as one record. */
function provisioned(e: HarEntry): UserRecord {
  const json = (text: string | undefined): Record<string, unknown> => {
    try {
      const v = JSON.parse(text ?? '') as unknown
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
    } catch {
      return {}
    }
  }
  return record({ ...json(e.request.postData?.text), ...(e.response.status < 300 ? json(e.response.content.text) : {}) })
}

/** Scalars only, as text; redacted values (`***`) are nobody's data. */
function record(values: Record<string, unknown>): UserRecord {
  const out: UserRecord = {}
  for (const [k, v] of Object.entries(values)) {
    if ((typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') && String(v) !== '***') out[k] = String(v)
  }
  return out
}

export function readRun(dir: string): RunRecord {
  const read = <T>(name: string): T => {
    const file = join(dir, name)
    if (!existsSync(file)) throw new ConformError('RUN_INCOMPLETE', 'setup', `${file} is missing: the run did not finish`)
    return JSON.parse(readFileSync(file, 'utf8')) as T
  }
  return recordOf(dir, read<ConformanceReport>('conformance.json'), read<Har>('exchanges.har'), readSnapshots(dir))
}

/** The snapshots of the run's restore journal (settled or not): what it knew of each fixture account before each check. */
function readSnapshots(dir: string): SnapshotEvent[] {
  const file = [JOURNAL_DONE_FILE, JOURNAL_FILE].map((f) => join(dir, f)).find((f) => existsSync(f))
  if (!file) return []
  return readJournal(file).events.filter((e): e is SnapshotEvent => e.event === 'snapshot')
}

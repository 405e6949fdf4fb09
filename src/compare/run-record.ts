import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConformError } from '../errors.ts'
import type { ConformanceReport } from '../report/conformance.ts'
import { CONTROL_COMMENT, type Har } from '../report/har.ts'

/** One answer a check received, as the comparison sees it. */
export interface RecordedAnswer {
  operation: string
  method: string
  /** Path and query only: two targets have different hosts. */
  path: string
  status: number
  contentType: string
  body: string
  /** The step of the check that made the exchange (`authenticate`, `snapshot`, `call`, …; see CheckStep). */
  step?: string
  /** What was sent (redacted as the HAR holds it): where the check names its users. */
  request?: { contentType: string; body: string }
}

export type RecordedCheck = ConformanceReport['checks'][number] & { answers: RecordedAnswer[] }

/** What a finished run left in its folder: conformance.json and exchanges.har, joined per check. */
export interface RunRecord {
  dir: string
  target: string
  seed: number
  deviations: string[]
  checks: Map<string, RecordedCheck>
}

/**
 * Steps that are the harness's bookkeeping, not the target's behaviour: putting fixture accounts back. A target whose
 * users are provisioned for each check (the embedded reference) has nothing to put back, so these exchanges exist on
 * one side only and would make every check differ.
 */
const BOOKKEEPING = new Set(['restore'])

/** Pure: joins a run's report and HAR. */
export function recordOf(dir: string, report: ConformanceReport, har: Har): RunRecord {
  const entries = new Map<string, Har['log']['entries']>()
  for (const e of [...har.log.entries].sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime))) {
    // Provisioning on the embedded reference is not an answer of the target: a configured target has none.
    if (e.comment === CONTROL_COMMENT) continue
    const list = entries.get(e.pageref) ?? []
    list.push(e)
    entries.set(e.pageref, list)
  }
  const answersOf = (check: ConformanceReport['checks'][number]): RecordedAnswer[] => {
    // Step exchange indices count the check's own exchanges in the order they started, as its HAR page lists them.
    const stepOf = new Map<number, string>()
    for (const s of check.steps ?? []) for (const i of s.exchanges) stepOf.set(i, s.name)
    return (entries.get(check.id) ?? []).flatMap((e, i): RecordedAnswer[] => {
      const step = stepOf.get(i)
      if (step && BOOKKEEPING.has(step)) return []
      const url = new URL(e.request.url)
      return [{
        operation: e._operation,
        method: e.request.method,
        path: `${url.pathname}${url.search}`,
        status: e.response.status,
        contentType: e.response.content.mimeType,
        body: e.response.content.text ?? e.response._error ?? '',
        ...(step ? { step } : {}),
        request: { contentType: e.request.postData?.mimeType ?? '', body: e.request.postData?.text ?? '' },
      }]
    })
  }
  return {
    dir,
    target: report.target,
    seed: report.seed,
    deviations: report.deviations ?? [],
    checks: new Map(report.checks.map((c) => [c.id, { ...c, answers: answersOf(c) }])),
  }
}

export function readRun(dir: string): RunRecord {
  const read = <T>(name: string): T => {
    const file = join(dir, name)
    if (!existsSync(file)) throw new ConformError('RUN_INCOMPLETE', 'setup', `${file} is missing: the run did not finish`)
    return JSON.parse(readFileSync(file, 'utf8')) as T
  }
  return recordOf(dir, read<ConformanceReport>('conformance.json'), read<Har>('exchanges.har'))
}

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

/** Pure: joins a run's report and HAR. */
export function recordOf(dir: string, report: ConformanceReport, har: Har): RunRecord {
  const answers = new Map<string, RecordedAnswer[]>()
  const entries = [...har.log.entries].sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime))
  for (const e of entries) {
    // Provisioning on the embedded reference is not an answer of the target: a configured target has none.
    if (e.comment === CONTROL_COMMENT) continue
    const url = new URL(e.request.url)
    const list = answers.get(e.pageref) ?? []
    list.push({
      operation: e._operation,
      method: e.request.method,
      path: `${url.pathname}${url.search}`,
      status: e.response.status,
      contentType: e.response.content.mimeType,
      body: e.response.content.text ?? e.response._error ?? '',
    })
    answers.set(e.pageref, list)
  }
  return {
    dir,
    target: report.target,
    seed: report.seed,
    deviations: report.deviations ?? [],
    checks: new Map(report.checks.map((c) => [c.id, { ...c, answers: answers.get(c.id) ?? [] }])),
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

/**
 * The peer's side of `--peer`: Step CI workflows built from our run's HAR for a set of checks, one Step CI test per
 * check, at the same concurrency. Two of them:
 *
 * - `peerWorkflow`, the same requests as our run: each check's requests as steps in the order the check sent them;
 * - `standaloneWorkflow`, the equivalent workflow: what a Step CI user writes for each check to stand alone. Our run
 *   knows each account's state across checks (a check's snapshot is the run's last verified read of the account), and
 *   a Step CI test knows nothing of the others, so before the check's first request it reads each user the check
 *   touches (whose id it sends, reads back or restores): one GET per user, the snapshot. Then the check's requests as
 *   recorded, restore writes included; none is added where our run skipped one (the last read showed the user
 *   unchanged), which is the generous side of the comparison.
 *
 * Method, URL (on the same proxy), headers and body as recorded. A value the HAR shows as `***` (a secret) is the Step
 * CI secret `key` (the reader's API key, which the bench passes in memory, never written): so a check that called with
 * another account's key calls with the reader's in the workflow, and may be answered differently; each step checks the
 * status our run got (a snapshot: the 200 of the GET it copies), and the bench counts the steps answered otherwise.
 * Pure.
 */
import type { Har, HarEntry } from '../../src/report/har.ts'

export interface StepCiStep {
  name: string
  http: {
    url: string
    method: string
    headers?: Record<string, string>
    body?: string
    check: { status: number }
  }
}

export interface StepCiWorkflow {
  version: '1.1'
  name: string
  config: { continueOnFail: true; concurrency: number; http: { rejectUnauthorized: boolean } }
  tests: Record<string, { name: string; steps: StepCiStep[] }>
}

/** How an API's requests name a user: the path that reads one (its id the first group), and the body field. */
export interface UserIds {
  path: RegExp
  bodyField: string
}

/** ECGrid REST: `GET /v2/users/{id}` reads one, `PUT /v2/users` sends `userId`. */
export const ECGRID_REST_USERS: UserIds = { path: /^\/v2\/users\/(\d+)$/, bodyField: 'userId' }

const SECRET = '${{secrets.key}}'
/** Headers the HTTP client sets itself. */
const OWN_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding'])

function step(e: HarEntry, i: number, purpose = e._purpose ?? ''): StepCiStep {
  const headers = Object.fromEntries(
    e.request.headers.filter((h) => !OWN_HEADERS.has(h.name.toLowerCase())).map((h) => [h.name, h.value.replaceAll('***', SECRET)]),
  )
  const body = e.request.postData?.text
  return {
    name: `${i + 1} ${purpose} ${e._operation}`.replace(/\s+/g, ' '),
    http: {
      url: e.request.url.replaceAll('***', SECRET),
      method: e.request.method,
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(body !== undefined ? { body: body.replaceAll('***', SECRET) } : {}),
      check: { status: e.response.status },
    },
  }
}

/** The checks whose id starts with `prefix` (e.g. `ecgrid-rest.`), their requests in the HAR's order; the control endpoint's requests aside. */
function checks(har: Har, prefix: string): Map<string, HarEntry[]> {
  const byCheck = new Map<string, HarEntry[]>()
  for (const e of har.log.entries) {
    if (e.comment !== undefined || !e.pageref.startsWith(prefix)) continue
    const entries = byCheck.get(e.pageref) ?? []
    if (!entries.length) byCheck.set(e.pageref, entries)
    entries.push(e)
  }
  return byCheck
}

function workflow(name: string, concurrency: number, tests: Array<[check: string, steps: StepCiStep[]]>): StepCiWorkflow {
  return {
    version: '1.1',
    name,
    config: { continueOnFail: true, concurrency, http: { rejectUnauthorized: true } },
    tests: Object.fromEntries(tests.map(([check, steps]) => [check.replace(/[^A-Za-z0-9_-]+/g, '_'), { name: check, steps }])),
  }
}

/** The same requests as our run: each check a test, its requests as steps in the order it sent them. */
export function peerWorkflow(har: Har, prefix: string, concurrency: number): StepCiWorkflow {
  return workflow(
    `conform ${prefix}* as sent`,
    concurrency,
    [...checks(har, prefix)].map(([check, entries]) => [check, entries.map((e, i) => step(e, i))]),
  )
}

/** The user a request reads (its URL), else the one it sends (the body field, a number; the body may be malformed JSON). */
export function userOf(e: HarEntry, users: UserIds): string | undefined {
  const inPath = users.path.exec(new URL(e.request.url).pathname)?.[1]
  if (inPath !== undefined) return inPath
  const field = users.bodyField.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`"${field}"\\s*:\\s*(\\d+)(?![\\d.eE])`).exec(e.request.postData?.text ?? '')?.[1]
}

/**
 * The equivalent workflow: each check a test that stands alone, one snapshot GET per user the check touches before
 * its recorded requests. A user is one the HAR shows existing (a GET of it answered 200, in any check): an id no GET
 * found (the unknown user a check sends) has nothing to snapshot or put back. The snapshot copies the first such GET:
 * its key is `***` in the HAR, so the reader's in the workflow.
 */
export function standaloneWorkflow(har: Har, prefix: string, concurrency: number, users: UserIds = ECGRID_REST_USERS): StepCiWorkflow {
  const reads = new Map<string, HarEntry>()
  for (const e of har.log.entries) {
    if (e.comment !== undefined || e.request.method !== 'GET' || e.response.status !== 200) continue
    const id = users.path.exec(new URL(e.request.url).pathname)?.[1]
    if (id === undefined) continue
    if (!reads.has(id)) reads.set(id, e)
  }
  return workflow(
    `conform ${prefix}* as standalone tests`,
    concurrency,
    [...checks(har, prefix)].map(([check, entries]) => {
      const touched = [...new Set(entries.map((e) => userOf(e, users)).filter((id): id is string => id !== undefined && reads.has(id)))]
      const snapshots = touched.map((id, i) => step(reads.get(id)!, i, 'snapshot'))
      return [check, [...snapshots, ...entries.map((e, i) => step(e, snapshots.length + i))]]
    }),
  )
}

/** Requests in a workflow. */
export function workflowRequests(w: StepCiWorkflow): number {
  return Object.values(w.tests).reduce((n, t) => n + t.steps.length, 0)
}

/**
 * The peer's side of `--peer`: a Step CI workflow that sends what our run sent for a set of checks, one Step CI test
 * per check, its requests as steps in the order the check sent them, at the same concurrency. Built from our run's
 * HAR: method, URL (on the same proxy), headers and body as recorded. A value the HAR shows as `***` (a secret) is
 * the Step CI secret `key` (the reader's API key, which the bench passes in memory, never written): so a check that
 * called with another account's key calls with the reader's in the workflow, and may be answered differently; each
 * step checks the status our run got, and the bench counts the steps answered otherwise. Pure.
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

const SECRET = '${{secrets.key}}'
/** Headers the HTTP client sets itself. */
const OWN_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding'])

function step(e: HarEntry, i: number): StepCiStep {
  const headers = Object.fromEntries(
    e.request.headers.filter((h) => !OWN_HEADERS.has(h.name.toLowerCase())).map((h) => [h.name, h.value.replaceAll('***', SECRET)]),
  )
  const body = e.request.postData?.text
  return {
    name: `${i + 1} ${e._purpose ?? ''} ${e._operation}`.replace(/\s+/g, ' '),
    http: {
      url: e.request.url.replaceAll('***', SECRET),
      method: e.request.method,
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(body !== undefined ? { body: body.replaceAll('***', SECRET) } : {}),
      check: { status: e.response.status },
    },
  }
}

/** The checks whose id starts with `prefix` (e.g. `ecgrid-rest.`), each a test; the control endpoint's requests aside. */
export function peerWorkflow(har: Har, prefix: string, concurrency: number): StepCiWorkflow {
  const tests: StepCiWorkflow['tests'] = {}
  for (const e of har.log.entries) {
    if (e.comment !== undefined || !e.pageref.startsWith(prefix)) continue
    const id = e.pageref.replace(/[^A-Za-z0-9_-]+/g, '_')
    const t = (tests[id] ??= { name: e.pageref, steps: [] })
    t.steps.push(step(e, t.steps.length))
  }
  return { version: '1.1', name: `conform ${prefix}* as sent`, config: { continueOnFail: true, concurrency, http: { rejectUnauthorized: true } }, tests }
}

/** Requests in a workflow. */
export function workflowRequests(w: StepCiWorkflow): number {
  return Object.values(w.tests).reduce((n, t) => n + t.steps.length, 0)
}

/**
 * Replays a run's HAR with a plain undici loop: the same requests, check by check (each check's requests one after
 * another, as the suite sends them), `concurrency` checks at a time, in the order the run started them, against a
 * fresh reference. What the HAR cannot hold is put back so that each request meets the same case as in the run
 * (bench/lib/replay-secrets.ts): the control key, the readers' tokens (the readers are set up before the clock starts,
 * as the suite sets its own up), the tokens and API keys the replay's own logins and provisioning answer, and the ids
 * the reference assigns. Passwords stay ***, which is what the replay's users are provisioned with. An answer whose
 * status or shape (element, attribute or key names) differs from the recorded one is counted.
 */
import { Agent, request } from 'undici'
import type { Har } from '../../src/report/har.ts'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import type { Project } from '../../src/project.ts'
import type { ApiDescription } from '../../src/spec/model.ts'
import type { Token } from '../../src/engine/authenticate.ts'
import { Runner } from '../../src/engine/runner.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'
import { assigned, fill, local, mapIds, revealed, secretFields, shapeOf, type SecretFields, type WireRequest } from './replay-secrets.ts'

type Entry = Har['log']['entries'][number]

export interface ReplayResult {
  requests: number
  /** First request sent to last answer read. */
  spanMs: number
  /** Answers whose status or shape differs from the recorded one. */
  answersDiffer: number
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'upgrade', 'expect', 'proxy-connection'])
const READER_STEPS = new Set(['snapshot', 'read back', 'restore'])
const PROVISION = /^\/__reference\/([^/]+)\/users$/

/** The HAR's checks: each one's requests in recorded order; checks in the order their first request went out. */
export function checksOf(har: Har): Entry[][] {
  const pages = new Map<string, Entry[]>()
  for (const e of har.log.entries) {
    const list = pages.get(e.pageref) ?? []
    list.push(e)
    pages.set(e.pageref, list)
  }
  return [...pages.values()].sort((a, b) => Date.parse(a[0]!.startedDateTime) - Date.parse(b[0]!.startedDateTime))
}

/** Which API an address belongs to: the longest binding or operation path it starts with. */
function apiByPath(apis: ApiDescription[]): (pathname: string) => ApiDescription | undefined {
  const prefixes: Array<[string, ApiDescription]> = []
  for (const api of apis) {
    for (const b of Object.values(api.bindings)) if (b?.path) prefixes.push([b.path.split('{')[0]!, api])
    for (const op of Object.values(api.operations)) if (op.http?.path) prefixes.push([op.http.path.split('{')[0]!, api])
  }
  prefixes.sort((a, b) => b[0].length - a[0].length)
  return (pathname) => prefixes.find(([p]) => p && pathname.startsWith(p))?.[1]
}

interface Reader {
  value: (field: string) => string | undefined
  overwrite: Map<string, string>
}

/** The reader of each API, made on the replay's reference the way a run makes its own. */
async function setUpReaders(
  project: Project,
  apis: string[],
  target: { url: string; controlKey: string },
  seed: number,
  limits: ResolvedTarget['limits'],
): Promise<Map<string, Reader>> {
  const resolved: ResolvedTarget = { name: 'replay', allowWrites: true, limits, direct: true, apis: {} }
  for (const a of apis) resolved.apis[a] = { baseUrl: target.url, fixtures: {}, provisioning: { url: target.url, key: target.controlKey } }
  const runner = new Runner({ target: resolved, apis: project.apis, catalogue: project.catalogue, seed })
  const readers = new Map<string, Reader>()
  try {
    for (const a of apis) {
      const fields = secretFields(project.apis.get(a)!)
      const { user, token } = await runner.reader(a)
      readers.set(a, readerOf(fields, user, token))
    }
  } finally {
    await runner.close()
  }
  return readers
}

function readerOf(fields: SecretFields, user: Record<string, unknown>, token: Token): Reader {
  if (typeof token === 'string')
    return { value: (f) => (fields.token.has(f) ? token : fields.password.has(f) ? String(user.password) : undefined), overwrite: new Map() }
  const byField = new Map(Object.entries(token.params).map(([k, v]) => [local(k), v]))
  return { value: (f) => byField.get(f), overwrite: byField }
}

/** The alias a check acts as, by its place among the provisioned users (from the steps' details in conformance.json). */
function callerIndex(steps: ConformanceReport['checks'][number]['steps']): number {
  const provisioned = (steps.find((s) => s.name === 'provision')?.detail ?? '').split(', ').map((d) => d.replace(/ \(.*\)$/, ''))
  const caller = /^reader and (.+)$/.exec(steps.find((s) => s.name === 'authenticate')?.detail ?? '')?.[1]
  return caller ? provisioned.indexOf(caller) : -1
}

interface Prepared {
  entry: Entry
  method: string
  request: WireRequest
  api?: ApiDescription
  role: 'control' | 'reader' | 'caller'
}

export async function replay(
  har: Har,
  report: ConformanceReport,
  project: Project,
  target: { url: string; controlKey: string },
  concurrency: number,
  onClockStart: () => void = () => {},
): Promise<ReplayResult> {
  const apiOf = apiByPath([...project.apis.values()])
  const fields = new Map([...project.apis.values()].map((a) => [a.api, secretFields(a)]))
  const steps = new Map(report.checks.map((c) => [c.id, c.steps]))
  const prepared = checksOf(har).map((entries) => {
    const stepsOf = steps.get(entries[0]!.pageref) ?? []
    const stepOf = (i: number) => stepsOf.find((s) => s.exchanges.includes(i))?.name ?? 'call'
    let apiIndex = 0
    const list = entries.map((e): Prepared => {
      const u = new URL(e.request.url)
      const headers: Record<string, string> = {}
      for (const h of e.request.headers) {
        const name = h.name.toLowerCase()
        if (!HOP_BY_HOP.has(name)) headers[name] = name === 'x-reference-control' ? target.controlKey : h.value
      }
      const req = { url: `${target.url}${u.pathname}${u.search}`, headers, ...(e.request.postData ? { body: e.request.postData.text } : {}) }
      if (e._operation.startsWith('reference control')) return { entry: e, method: e.request.method, request: req, role: 'control' }
      const api = apiOf(u.pathname)
      return { entry: e, method: e.request.method, request: req, ...(api ? { api } : {}), role: READER_STEPS.has(stepOf(apiIndex++)) ? 'reader' : 'caller' }
    })
    return { list, caller: callerIndex(stepsOf) }
  })
  const readers = await setUpReaders(
    project,
    [...new Set(prepared.flatMap((c) => c.list.flatMap((p) => (p.api ? [p.api.api] : []))))],
    target,
    report.seed,
    project.config.targets.reference!.limits,
  )

  const agent = new Agent({ connections: concurrency })
  const answers: Array<{ entry: Entry; status: number; body: string }> = []
  let next = 0
  onClockStart()
  const t0 = performance.now()
  const worker = async () => {
    while (next < prepared.length) {
      const check = prepared[next++]!
      const ids = new Map<string, string>()
      const logins = new Map<string, string>()
      // What provisioning assigned each of the check's users, in order (a cross-API check's faces share them).
      const provisioned: Array<Record<string, string>> = []
      for (const p of check.list) {
        let req = p.request
        if (p.role !== 'control' && p.api) {
          const api = p.api
          const f = fields.get(api.api)!
          if (p.role === 'reader') {
            const reader = readers.get(api.api)!
            req = fill(req, reader.value, reader.overwrite)
          } else {
            const token = f.tokenAttribute ? provisioned[check.caller]?.[f.tokenAttribute] : logins.get(api.api)
            req = fill(req, (field) => (f.token.has(field) ? token : undefined))
          }
        }
        req = mapIds(req, ids)
        const res = await request(req.url, {
          method: p.method as 'GET',
          headers: req.headers,
          ...(req.body !== undefined ? { body: req.body } : {}),
          dispatcher: agent,
        })
        const body = await res.body.text()
        answers.push({ entry: p.entry, status: res.statusCode, body })
        const recorded = p.entry.response.content.text ?? ''
        if (p.role === 'control') {
          if (p.method === 'POST' && PROVISION.test(new URL(req.url).pathname)) {
            const got = assigned(recorded, body)
            for (const [k, v] of got.ids) ids.set(k, v)
            provisioned.push(got.secrets)
          }
        } else if (p.api?.auth.login && p.entry._operation === p.api.auth.login.operation) {
          const token = revealed(recorded, body)[0]
          if (token) logins.set(p.api.api, token)
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, prepared.length) }, worker))
  const spanMs = performance.now() - t0
  await agent.close()
  const answersDiffer = answers.filter((a) => a.status !== a.entry.response.status || shapeOf(a.body) !== shapeOf(a.entry.response.content.text ?? '')).length
  return { requests: answers.length, spanMs, answersDiffer }
}

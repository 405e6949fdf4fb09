/**
 * Replays a run's HAR with a plain undici loop: the same requests, check by check (each check's requests one after
 * another, as the suite sends them), `concurrency` checks at a time, in the order the run started them, against a
 * fresh reference; exchanges outside any check before the first check and after the last. What the HAR cannot hold is
 * put back so that each request meets the same case as in the run (bench/lib/replay-secrets.ts): the control key, the
 * readers' tokens (the readers are set up before the clock starts, as the suite sets its own up, and stay logged in
 * until the replay ends), the sessions the replay's own logins open, found by the account each login was for across
 * checks (bench/lib/replay-sessions.ts), the API keys its provisioning answers, and the ids the reference assigns.
 * Passwords stay ***, which is what the replay's users are provisioned with. An answer whose status or shape (element,
 * attribute or key names) differs from the recorded one is counted.
 */
import { Agent, request } from 'undici'
import type { Har } from '../../src/report/har.ts'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import type { Project } from '../../src/project.ts'
import type { ApiDescription, Spec } from '../../src/spec/model.ts'
import { Template } from '../../src/expr.ts'
import type { Token } from '../../src/engine/authenticate.ts'
import { Runner } from '../../src/engine/runner.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'
import { referenceBaseUrl } from '../../src/run/resolve-target.ts'
import { assigned, fieldValue, fill, local, MASK, mapIds, revealed, secretFields, shapeOf, type SecretFields, type WireRequest } from './replay-secrets.ts'
import { ReplaySessions } from './replay-sessions.ts'

type Entry = Har['log']['entries'][number]

export interface ReplayResult {
  requests: number
  /** First request sent to last answer read. */
  spanMs: number
  /** Answers whose status or shape differs from the recorded one. */
  answersDiffer: number
  /** Those answers: where they stand and what came back (no bodies: nothing secret). */
  differing: Array<{ check: string | undefined; operation: string; purpose: string | undefined; recorded: number; status: number }>
  /** Requests whose caller token stayed *** (no login of the HAR opened a session for the caller's account). */
  unmapped: number
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'upgrade', 'expect', 'proxy-connection'])
/** What the run sends as the check's caller; every other purpose (snapshot, establish, read back, session check, restore) as its reader. */
const CALLER_PURPOSES = new Set(['login', 'logout', 'call', undefined])
const PROVISION = /^\/__reference\/([^/]+)\/users$/
/** The reference's session control (expiry): its body names the caller's ticket. */
const SESSION_CONTROL = /^\/__reference\/([^/]+)\/sessions\//

/**
 * The HAR in the order the replay sends it: the exchanges outside any check (no pageref) that started before the first
 * check's first request (a preparation's logins), the checks (each one's exchanges in recorded order; checks in the
 * order their first exchange went out), and the exchanges outside any check after that (the run's logouts). Each
 * exchange with its place in the HAR.
 */
export function partition(har: Har): { before: Placed[]; checks: Placed[][]; after: Placed[] } {
  const pages = new Map<string, Placed[]>()
  const outside: Placed[] = []
  har.log.entries.forEach((entry, place) => {
    if (!entry.pageref) return void outside.push({ entry, place })
    const list = pages.get(entry.pageref) ?? []
    list.push({ entry, place })
    pages.set(entry.pageref, list)
  })
  const at = (p: Placed) => Date.parse(p.entry.startedDateTime)
  const checks = [...pages.values()].sort((a, b) => at(a[0]!) - at(b[0]!) || a[0]!.place - b[0]!.place)
  const first = checks.length ? at(checks[0]![0]!) : Infinity
  return { before: outside.filter((p) => at(p) < first), checks, after: outside.filter((p) => at(p) >= first) }
}

export interface Placed {
  entry: Entry
  /** Its index among the HAR's entries: the run's order. */
  place: number
}

/**
 * Which API an address belongs to: the longest path it starts with, of the API's base on the reference (ECGridOS
 * v4.1's live profile is under /live, beside the other ECGridOS face) and each binding or operation path.
 */
function apiByPath(apis: ApiDescription[]): (pathname: string) => ApiDescription | undefined {
  const prefixes: Array<[string, ApiDescription]> = []
  for (const api of apis) {
    const base = referenceBaseUrl('', api.api)
    for (const b of Object.values(api.bindings)) if (b?.path) prefixes.push([base + b.path.split('{')[0]!, api])
    for (const op of Object.values(api.operations)) if (op.http?.path) prefixes.push([base + op.http.path.split('{')[0]!, api])
  }
  prefixes.sort((a, b) => b[0].length - a[0].length)
  return (pathname) => prefixes.find(([p]) => p && pathname.startsWith(p))?.[1]
}

interface Reader {
  value: (field: string) => string | undefined
  overwrite: Map<string, string>
}

/**
 * The reader of each API, made on the replay's reference the way a run makes its own (each API at its base there).
 * The runner stays open until the replay is done (`close`): closing it logs its sessions out, the readers' among them.
 */
async function setUpReaders(
  project: Project,
  apis: string[],
  target: { url: string; controlKey: string },
  seed: number,
  limits: ResolvedTarget['limits'],
): Promise<{ readers: Map<string, Reader>; close: () => Promise<void> }> {
  const resolved: ResolvedTarget = { name: 'replay', allowWrites: true, limits, direct: true, apis: {} }
  const provisioning = { url: target.url, key: target.controlKey }
  for (const a of apis) resolved.apis[a] = { baseUrl: referenceBaseUrl(target.url, a), fixtures: {}, provisioning }
  const runner = new Runner({ target: resolved, apis: project.apis, catalogue: project.catalogue, seed })
  const readers = new Map<string, Reader>()
  try {
    for (const a of apis) {
      const fields = secretFields(project.apis.get(a)!)
      const { user, token } = await runner.reader(a)
      readers.set(a, readerOf(fields, user, token))
    }
  } catch (err) {
    await runner.close()
    throw err
  }
  return { readers, close: () => runner.close() }
}

function readerOf(fields: SecretFields, user: Record<string, unknown>, token: Token): Reader {
  if (typeof token === 'string')
    return { value: (f) => (fields.token.has(f) ? token : fields.password.has(f) ? String(user.password) : undefined), overwrite: new Map() }
  const byField = new Map(Object.entries(token.params).map(([k, v]) => [local(k), v]))
  return { value: (f) => byField.get(f), overwrite: byField }
}

type Steps = ConformanceReport['checks'][number]['steps']

/** The aliases of a check's users, in the order it provisioned them (from the steps' details in conformance.json). */
const provisionedAliases = (steps: Steps) => (steps.find((s) => s.name === 'provision')?.detail ?? '').split(', ').map((d) => d.replace(/ \(.*\)$/, ''))

/** A token the spec gives as one of its users' attributes (`${jane.apiKey}`): that user's place among the provisioned. */
function givenToken(spec: Spec | undefined, steps: Steps): { user: number; attribute: string } | undefined {
  const token = spec?.caller && 'token' in spec.caller ? spec.caller.token : undefined
  if (!(token instanceof Template) || token.parts.length !== 1 || token.parts[0]!.kind !== 'ref') return undefined
  const [alias, attribute] = token.parts[0]!.path
  const user = provisionedAliases(steps).indexOf(String(alias))
  return user >= 0 && typeof attribute === 'string' ? { user, attribute } : undefined
}

/** The alias a check acts as, by its place among the provisioned users (from the steps' details in conformance.json). */
function callerIndex(steps: Steps): number {
  const provisioned = provisionedAliases(steps)
  const caller = /^reader and (.+?)(?: \(.*\))?$/.exec(steps.find((s) => s.name === 'authenticate')?.detail ?? '')?.[1]
  return caller ? provisioned.indexOf(caller) : -1
}

interface Prepared extends Placed {
  method: string
  request: WireRequest
  api?: ApiDescription
  role: 'control' | 'reader' | 'caller'
  /** The account a login logs in (the user its request names). */
  loginAccount?: string
  /** Whether the recorded request carries a caller's token as ***. */
  needsToken: boolean
}

/** What a check knows while it is replayed: what its provisioning assigned and which accounts its logins opened. */
interface CheckScope {
  ids: Map<string, string>
  /** Each provisioned user, in order: the attributes its request sent and the secrets its answer revealed. */
  provisioned: Array<{ sent: Record<string, unknown>; secrets: Record<string, string> }>
  caller: number
  /** A caller the spec gives a user's secret as its token (`caller: { token: "${jane.apiKey}" }`): whose, and which. */
  given?: { user: number; attribute: string }
  /** Per API, the account of the check's latest login: its caller from then on. */
  loggedIn: Map<string, string>
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
  const sessions = new ReplaySessions()
  const prepare = ({ entry: e, place }: Placed): Prepared => {
    const u = new URL(e.request.url)
    const headers: Record<string, string> = {}
    for (const h of e.request.headers) {
      const name = h.name.toLowerCase()
      if (!HOP_BY_HOP.has(name)) headers[name] = name === 'x-reference-control' ? target.controlKey : h.value
    }
    const request = { url: `${target.url}${u.pathname}${u.search}`, headers, ...(e.request.postData ? { body: e.request.postData.text } : {}) }
    const base = { entry: e, place, method: e.request.method, request }
    if (e._operation.startsWith('reference control')) {
      const control = SESSION_CONTROL.exec(u.pathname)
      const api = control ? project.apis.get(control[1]!) : undefined
      return { ...base, ...(api ? { api } : {}), role: 'control', needsToken: Boolean(api) }
    }
    const api = apiOf(u.pathname)
    if (!api) return { ...base, role: 'caller', needsToken: false }
    const f = fields.get(api.api)!
    const role = CALLER_PURPOSES.has(e._purpose) ? 'caller' : 'reader'
    const isLogin = api.auth.login !== undefined && e._operation === api.auth.login.operation
    const loginAccount = isLogin && f.account ? fieldValue(request, f.account.field) : undefined
    if (loginAccount !== undefined) sessions.planLogin(api.api, loginAccount, place)
    const needsToken = role === 'caller' && [...f.token].some((field) => fieldValue(request, field) === MASK)
    return { ...base, api, role, ...(loginAccount !== undefined ? { loginAccount } : {}), needsToken }
  }
  const plan = partition(har)
  const before = plan.before.map(prepare)
  const specs = new Map(project.specs.map((s) => [s.id, s]))
  const checks = plan.checks.map((placed) => {
    const stepsOf = steps.get(placed[0]!.entry.pageref) ?? []
    const given = givenToken(specs.get(placed[0]!.entry.pageref.replace(/@[^@]*$/, '')), stepsOf)
    return { list: placed.map(prepare), caller: callerIndex(stepsOf), ...(given ? { given } : {}) }
  })
  const after = plan.after.map(prepare)
  const apis = new Set([...before, ...checks.flatMap((c) => c.list), ...after].flatMap((p) => (p.api && p.role !== 'control' ? [p.api.api] : [])))
  const { readers, close } = await setUpReaders(project, [...apis], target, report.seed, project.config.targets.reference!.limits)

  const agent = new Agent({ connections: concurrency })
  const answers: Array<{ entry: Entry; status: number; body: string }> = []
  let unmapped = 0

  /** The caller's live token on an API at a place: the session of the account the check last logged in, or its caller's. */
  const callerToken = async (api: ApiDescription, scope: CheckScope, place: number): Promise<string | undefined> => {
    const f = fields.get(api.api)!
    if (scope.given) return scope.provisioned[scope.given.user]?.secrets[scope.given.attribute]
    const caller = scope.provisioned[scope.caller]
    if (f.tokenAttribute) return caller?.secrets[f.tokenAttribute]
    const sent = f.account ? caller?.sent[f.account.attribute] : undefined
    const account = scope.loggedIn.get(api.api) ?? (typeof sent === 'string' ? sent : undefined)
    return sessions.at(api.api, account, place)
  }

  const send = async (p: Prepared, scope: CheckScope): Promise<void> => {
    let req = p.request
    if (p.api && p.role === 'reader') {
      const reader = readers.get(p.api.api)!
      req = fill(req, reader.value, reader.overwrite)
    } else if (p.api && p.needsToken) {
      const f = fields.get(p.api.api)!
      const token =
        p.entry.pageref || p.api.auth.logout?.operation !== p.entry._operation
          ? await callerToken(p.api, scope, p.place)
          : await sessions.closeOldest(p.api.api)
      if (token === undefined) unmapped++
      else req = p.role === 'control' ? fill(req, () => token) : fill(req, (field) => (f.token.has(field) ? token : undefined))
    }
    req = mapIds(req, scope.ids)
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
        for (const [k, v] of got.ids) scope.ids.set(k, v)
        scope.provisioned.push({ sent: sentAttributes(p.request.body), secrets: got.secrets })
      }
    } else if (p.api && p.loginAccount !== undefined) {
      scope.loggedIn.set(p.api.api, p.loginAccount)
      sessions.opened(p.api.api, p.loginAccount, p.place, revealed(recorded, body)[0])
    }
  }
  const outside = (): CheckScope => ({ ids: new Map(), provisioned: [], caller: -1, loggedIn: new Map() })

  let next = 0
  onClockStart()
  const t0 = performance.now()
  let spanMs: number
  try {
    const scope = outside()
    for (const p of before) await send(p, scope)
    const worker = async () => {
      while (next < checks.length) {
        const check = checks[next++]!
        const scope: CheckScope = { ids: new Map(), provisioned: [], caller: check.caller, loggedIn: new Map(), ...(check.given ? { given: check.given } : {}) }
        for (const p of check.list) await send(p, scope)
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, checks.length) }, worker))
    for (const p of after) await send(p, outside())
    spanMs = performance.now() - t0
  } finally {
    await agent.close()
    await close()
  }
  const differ = answers.filter((a) => a.status !== a.entry.response.status || shapeOf(a.body) !== shapeOf(a.entry.response.content.text ?? ''))
  return {
    requests: answers.length,
    spanMs,
    answersDiffer: differ.length,
    differing: differ.map((a) => ({
      check: a.entry.pageref || undefined,
      operation: a.entry._operation,
      purpose: a.entry._purpose,
      recorded: a.entry.response.status,
      status: a.status,
    })),
    unmapped,
  }
}

/** A provisioning request's attributes (its JSON body): the login name the replay finds its user's session by. */
function sentAttributes(body: string | undefined): Record<string, unknown> {
  try {
    return JSON.parse(body ?? '{}') as Record<string, unknown>
  } catch {
    return {}
  }
}

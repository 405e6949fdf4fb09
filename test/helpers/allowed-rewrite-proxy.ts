import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'
import { sessionExpiryApis, startReference } from '../../reference/index.ts'
import { Runner } from '../../src/engine/runner.ts'
import { planChecks, type PlanFilters } from '../../src/engine/plan.ts'
import type { CheckResult } from '../../src/engine/result.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'
import { referenceApis } from '../../src/run/resolve-target.ts'
import { project } from './run-suite.ts'

/**
 * A loopback proxy in front of the reference that changes its answers (or its decisions) in ways the documentation
 * allows: what another, independently written implementation might do. The real suite's checks run through it and
 * must raise no alarm. Each rewrite counts how often it changed something, so a test can tell it was exercised.
 */

export interface Exchange {
  method: string
  url: string
  headers: Record<string, string>
  body: string
}
export interface Answer {
  status: number
  headers: Record<string, string>
  body: string
}

export interface Rewrite {
  /** Answer a request here instead of the reference (a decision the documentation leaves open), or undefined. */
  answerInstead?(req: Exchange): Answer | undefined
  /** Change the request before the reference sees it. */
  request?(req: Exchange): Exchange
  /** Change the reference's answer. */
  answer?(req: Exchange, answer: Answer): Answer
}

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/'
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope'
const isSoap = (a: Answer) => /^(text\/xml|application\/soap\+xml)/.test(a.headers['content-type'] ?? '') && a.body.includes(':Envelope')
const isJson = (a: Answer) => (a.headers['content-type'] ?? '').startsWith('application/json')
const body = (a: Answer, text: string): Answer => ({ ...a, body: text })

function soapEnvelope(version: '1.1' | '1.2', inner: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${version === '1.1' ? SOAP11 : SOAP12}"><soap:Body>${inner}</soap:Body></soap:Envelope>`
}

/** The parameters of an infoRouter call over any binding (GET query, form body, SOAP element). */
export function paramOf(req: Exchange, name: string): string | undefined {
  const url = new URL(req.url, 'http://x')
  const lower = name.toLowerCase()
  for (const [k, v] of url.searchParams) if (k.toLowerCase() === lower) return v
  if ((req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(req.body)) if (k.toLowerCase() === lower) return v
  }
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(req.body)
  return m
    ? m[1]!
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&')
    : undefined
}

function infoRouterFailure(req: Exchange, operation: string, error: string): Answer {
  const response = `<response success="false" error="${error.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}" />`
  const ct = req.headers['content-type'] ?? ''
  if (ct.startsWith('text/xml') || ct.startsWith('application/soap+xml')) {
    const version = ct.startsWith('text/xml') ? '1.1' : '1.2'
    const inner = `<${operation}Response xmlns="http://tempuri.org/"><${operation}Result>${response.replace(' />', ' xmlns="" />')}</${operation}Result></${operation}Response>`
    return {
      status: 200,
      headers: { 'content-type': version === '1.1' ? 'text/xml; charset=utf-8' : 'application/soap+xml; charset=utf-8' },
      body: soapEnvelope(version, inner),
    }
  }
  return { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: `<?xml version="1.0" encoding="utf-8"?>\n${response}` }
}

function operationOf(req: Exchange): string {
  const action = req.headers.soapaction ?? /action="([^"]+)"/.exec(req.headers['content-type'] ?? '')?.[1]
  if (action) return action.replace(/"/g, '').split('/').pop() ?? ''
  return /\.asmx\/(\w+)/.exec(new URL(req.url, 'http://x').pathname)?.[1] ?? ''
}

/** The HTML form rule for an e-mail address (a common validator): what a validating vendor accepts. */
const VALID_EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/

/** Each rewrite is something the pages (or DESIGN, where it allows several outcomes) let an implementation do. */
export const ALLOWED_REWRITES = {
  /** An attribute or element the pages do not mention, on every answer element and in every JSON object answered. */
  'extra-fields': {
    answer: (_req, a) => {
      if (isJson(a)) {
        try {
          const v = JSON.parse(a.body) as Record<string, unknown>
          const data = v.data && typeof v.data === 'object' ? { ...(v.data as object), phone: '555 0100', modified: '2024-01-01T00:00:00Z' } : v.data
          return body(a, JSON.stringify({ requestId: 'r-1', ...v, data }))
        } catch {
          return a
        }
      }
      return body(
        a,
        a.body
          .replace(/<(User|root|response)( |>)/g, '<$1 vendorExtra="x"$2')
          .replace(/(<Created>[^<]*<\/Created>)/g, '$1<Modified>2024-01-01T00:00:00</Modified><LockedOut>false</LockedOut>')
          .replace(/(<BBDRemovedManuallyEmail>[^<]*<\/BBDRemovedManuallyEmail>)/g, '$1<LastLogin>2024-01-01T00:00:00</LastLogin>'),
      )
    },
  },
  /** Another prefix for the envelope namespace (s:), and fault codes written with a prefix of their own. */
  'soap-prefixes': {
    answer: (_req, a) => {
      if (!isSoap(a)) return a
      const ns = a.body.includes(SOAP12) ? SOAP12 : SOAP11
      const renamed = a.body
        .replace(/<(\/?)soap:/g, '<$1s:')
        .replace(/xmlns:soap=/g, 'xmlns:s=')
        .replace(/<faultcode>soap:(\w+)<\/faultcode>/g, `<faultcode xmlns:f="${ns}">f:$1</faultcode>`)
        .replace(
          /<s:Value>soap:(\w+)<\/s:Value>/g,
          `<s:Value xmlns:c="${ns}">c:$1</s:Value><s:Subcode><s:Value xmlns:v="urn:vendor:faults">v:Refused</s:Value></s:Subcode>`,
        )
      return body(a, renamed)
    },
  },
  /** xs:boolean written 1/0, xs:dateTime with an offset and a fraction: the same values, spelled otherwise. */
  'xsd-spellings': {
    answer: (_req, a) => {
      if (!isSoap(a)) return a
      return body(
        a,
        a.body
          .replace(/<(BBD\w+|Daily\w+)>(true|false)<\/\1>/g, (_m, el: string, v: string) => `<${el}>${v === 'true' ? '1' : '0'}</${el}>`)
          .replace(/<Created>(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)<\/Created>/g, (_m, t: string) => {
            const local = new Date(Date.parse(`${t}Z`) + 3_600_000).toISOString().slice(0, 19)
            return `<Created>${local}.0000000+01:00</Created>`
          }),
      )
    },
  },
  /** infoRouter error texts worded as other pages print them: the bracketed code stays. */
  'error-wording': {
    answer: (_req, a) =>
      body(
        a,
        a.body
          .replace(/\[901\] Session expired or Invalid ticket/g, '[901]Session expired or invalid ticket')
          .replace(/\[900\] Authentication failed/g, '[900] Authentication failed.'),
      ),
  },
  /** A debug build: error texts carry a stack trace. X-2 (ADVISORY) may say so; nothing else may fail. */
  'debug-error-text': {
    answer: (_req, a) =>
      body(a, a.body.replace(/error="(\[90[01]\][^"]*)"/g, 'error="$1&#xA;   at InfoRouter.Srv.CheckTicket(String ticket) in C:\\build\\srv\\Srv.cs:line 42"')),
  },
  /** DESIGN D2: fields PUT /v2/users does not update may be refused with 400 instead of ignored. */
  'rest-refuses-extra-fields': {
    answerInstead: (req) => {
      if (req.method !== 'PUT' || !req.url.startsWith('/v2/users')) return undefined
      try {
        const v = JSON.parse(req.body) as Record<string, unknown>
        if (!['login', 'networkId', 'mailboxId', 'authLevel', 'status', 'created'].some((k) => Object.hasOwn(v, k))) return undefined
      } catch {
        return undefined
      }
      return {
        status: 400,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ success: false, data: null, errorCode: 'InvalidParameter', message: 'login cannot be updated here' }),
      }
    },
  },
  /** DESIGN D2: a wrong Content-Type may be 415. */
  'rest-415': {
    answerInstead: (req) => {
      if (req.method !== 'PUT' || (req.headers['content-type'] ?? '').startsWith('application/json')) return undefined
      return {
        status: 415,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ success: false, data: null, errorCode: 'InvalidParameter', message: 'Unsupported Media Type' }),
      }
    },
  },
  /** An infoRouter that refuses addresses a common validator refuses (the pages set no rule, so this is allowed). */
  'validates-email': {
    answerInstead: (req) => {
      const op = operationOf(req)
      const address = op === 'UpdateUserEmail' ? paramOf(req, 'NewEmailAddress') : op === 'UpdateUserContactInfo' ? paramOf(req, 'emailAddress') : undefined
      if (address === undefined || address === '' || VALID_EMAIL.test(address)) return undefined
      return infoRouterFailure(req, op, 'SystemError: the e-mail address is not valid')
    },
  },
} satisfies Record<string, Rewrite>

export type RewriteName = keyof typeof ALLOWED_REWRITES

/**
 * Not an allowed variation: a SOAP service that reads the ticket only under the name the UpdateUserEmail page's SOAP
 * example writes (AuthenticationTicket), so the suite's authenticationTicket goes unread. For the failure hint.
 */
export const TICKET_UNDER_OTHER_NAME: Rewrite = {
  request: (req) =>
    operationOf(req) === 'UpdateUserEmail' ? { ...req, body: req.body.replace(/<authenticationTicket>[^<]*<\/authenticationTicket>/, '') } : req,
}

export interface RunningProxy {
  url: string
  /** Answers (or requests) the rewrite changed. */
  changed: number
  close(): Promise<void>
}

export async function startAllowedRewriteProxy(upstream: string, rewrite: Rewrite): Promise<RunningProxy> {
  const state = { changed: 0 }
  const server: Server = createServer(
    (req, res) =>
      void relay(req).then(
        (a) => {
          res.writeHead(a.status, a.headers)
          res.end(a.body)
        },
        (e: unknown) => {
          res.writeHead(502, { 'content-type': 'text/plain' })
          res.end(String(e))
        },
      ),
  )
  async function relay(req: IncomingMessage): Promise<Answer> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'connection', 'content-length', 'transfer-encoding'].includes(k)),
    ) as Record<string, string>
    const original: Exchange = { method: req.method ?? 'GET', url: req.url ?? '/', headers, body: Buffer.concat(chunks).toString('utf8') }
    const instead = rewrite.answerInstead?.(original)
    if (instead) {
      state.changed++
      return instead
    }
    const sent = rewrite.request?.(original) ?? original
    if (sent.body !== original.body) state.changed++
    const r = await request(`${upstream}${sent.url}`, { method: sent.method as 'GET', headers: sent.headers, body: sent.body.length ? sent.body : null })
    const answer: Answer = {
      status: r.statusCode,
      headers: Object.fromEntries(
        Object.entries(r.headers).filter(([k, v]) => typeof v === 'string' && !['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)),
      ) as Record<string, string>,
      body: await r.body.text(),
    }
    const out = rewrite.answer?.(sent, answer) ?? answer
    if (out.body !== answer.body || out.status !== answer.status) state.changed++
    return out
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get changed() {
      return state.changed
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

/** The real suite (every selected check, real HTTP) against the reference behind a rewriting proxy. */
export async function runThroughRewrite(rewrite: Rewrite, filters: PlanFilters = {}, seed = 42): Promise<{ results: CheckResult[]; changed: number }> {
  const p = project()
  const ref = await startReference({})
  const proxy = await startAllowedRewriteProxy(ref.url, rewrite)
  const config = p.config.targets.reference!
  const apis: ResolvedTarget['apis'] = {}
  // Checks go through the proxy; provisioning users goes straight to the reference's control endpoint.
  const control = { url: ref.url, key: ref.controlKey }
  for (const name of referenceApis(p))
    apis[name] = { baseUrl: proxy.url, fixtures: {}, provisioning: control, ...(sessionExpiryApis().includes(name) ? { sessionExpiry: control } : {}) }
  const target: ResolvedTarget = { name: 'reference-behind-proxy', allowWrites: true, limits: config.limits, direct: true, apis }
  const runner = new Runner({ target, apis: p.apis, catalogue: p.catalogue, seed })
  try {
    const results = await runner.runAll(planChecks(p, target, filters))
    return { results, changed: proxy.changed }
  } finally {
    await runner.close()
    await proxy.close()
    await ref.close()
  }
}

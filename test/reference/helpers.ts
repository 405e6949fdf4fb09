/**
 * Test helpers for the reference target: real HTTP on loopback with undici, the four infoRouter bindings,
 * fixture users through the control endpoint.
 */
import { XMLParser } from 'fast-xml-parser'
import { request } from 'undici'
import { startReference, type ReferenceOptions, type RunningReference } from '../../reference/index.ts'

export const BINDINGS = ['http-get', 'http-post', 'soap11', 'soap12'] as const
export type Binding = (typeof BINDINGS)[number]
export const SOAP_BINDINGS = ['soap11', 'soap12'] as const
export const FORM_BINDINGS = ['http-get', 'http-post'] as const

export const NS = 'http://tempuri.org/'
export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/'
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope'
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance'

export const AUTH_FAILED = '[900] Authentication failed'
export const TICKET_INVALID = '[901] Session expired or Invalid ticket'

/** undefined: the parameter is left out; null: SOAP nil (not expressible over GET/POST). */
export type Value = string | null | undefined

export interface Answer {
  readonly status: number
  readonly contentType: string
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: string
}

export interface OpAnswer extends Answer {
  /** `response` or `root`. */
  readonly element: string
  readonly attrs: Record<string, string>
  /** The `<User>` attributes of a GetUser answer. */
  readonly user?: Record<string, string>
}

export interface Fixture {
  readonly userId: number
  readonly userName: string
  readonly password: string
  readonly role: 'member' | 'sysadmin'
  readonly firstName: string
  readonly lastName: string
  readonly email: string
  readonly mobileNumber: string
}

/** The tests' XML reader: namespace prefixes dropped, values kept as text exactly as sent. */
export const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
})

const xmlEscape = (text: string): string => text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] ?? ch)

function attributesOf(node: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (typeof node !== 'object' || node === null) return out
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_') && typeof value === 'string') out[key.slice(2)] = value
  }
  return out
}

/** Reads `<response>`/`<root>` (bare, or inside a SOAP envelope) into attributes. */
export function parseOpAnswer(answer: Answer, op: string): OpAnswer {
  const doc = parser.parse(answer.body) as Record<string, unknown>
  const envelope = doc.Envelope as Record<string, Record<string, Record<string, Record<string, unknown>>>> | undefined
  const container = envelope ? (envelope.Body?.[`${op}Response`]?.[`${op}Result`] as Record<string, unknown> | undefined) : doc
  const element = container && 'response' in container ? 'response' : 'root'
  const node = container?.[element]
  const userNode = typeof node === 'object' && node !== null ? (node as Record<string, unknown>).User : undefined
  return {
    ...answer,
    element,
    attrs: attributesOf(node),
    ...(userNode === undefined ? {} : { user: attributesOf(userNode) }),
  }
}

/** A hand-written document/literal request (no suite code involved), in the given service namespace. */
export function soapEnvelope(version: '1.1' | '1.2', op: string, params: Record<string, Value>, namespace = NS): string {
  const ns = version === '1.1' ? SOAP11_NS : SOAP12_NS
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => (v === null ? `<${k} xsi:nil="true" />` : `<${k}>${xmlEscape(v ?? '')}</${k}>`))
    .join('')
  return (
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${ns}" xmlns:xsi="${XSI_NS}">` +
    `<soap:Body><${op} xmlns="${namespace}">${parts}</${op}></soap:Body></soap:Envelope>`
  )
}

export function formEncode(params: Record<string, Value>): string {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      if (v === null) throw new Error(`null (nil) cannot be sent over GET/POST: ${k}`)
      return `${encodeURIComponent(k)}=${encodeURIComponent(v ?? '')}`
    })
    .join('&')
}

let counter = 0
export const uniqueName = (prefix = 'user'): string => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`

export class RefClient {
  readonly ref: RunningReference

  constructor(ref: RunningReference) {
    this.ref = ref
  }

  get url(): string {
    return this.ref.url
  }

  async raw(method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Answer> {
    const res = await request(`${this.ref.url}${path}`, {
      method: method as 'GET',
      headers: options.headers ?? {},
      ...(options.body === undefined ? {} : { body: options.body }),
    })
    const body = await res.body.text()
    const contentType = res.headers['content-type']
    return { status: res.statusCode, contentType: typeof contentType === 'string' ? contentType : '', headers: res.headers, body }
  }

  /** `key` null sends no control header. */
  control(method: string, path: string, body?: unknown, key: string | null = this.ref.controlKey): Promise<Answer> {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (key !== null) headers['x-reference-control'] = key
    return this.raw(method, path, { headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  }

  async provision(overrides: Partial<Omit<Fixture, 'userId'>> = {}): Promise<Fixture> {
    const userName = overrides.userName ?? uniqueName()
    const user = {
      userName,
      password: `pw-${userName}`,
      role: 'member' as const,
      firstName: 'First',
      lastName: 'Last',
      email: `${userName}@example.com`,
      mobileNumber: '+15551234567',
      ...overrides,
    }
    const answer = await this.control('POST', '/__reference/inforouter/users', user)
    if (answer.status !== 201) throw new Error(`provisioning failed: ${answer.status} ${answer.body}`)
    return { ...user, userId: (JSON.parse(answer.body) as { userId: number }).userId }
  }

  async call(binding: Binding, op: string, params: Record<string, Value>): Promise<OpAnswer> {
    return parseOpAnswer(await this.send(binding, op, params), op)
  }

  /** Sends without parsing (for answers that are not XML). */
  send(binding: Binding, op: string, params: Record<string, Value>): Promise<Answer> {
    switch (binding) {
      case 'http-get':
        return this.raw('GET', `/srv.asmx/${op}?${formEncode(params)}`)
      case 'http-post':
        return this.raw('POST', `/srv.asmx/${op}`, {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: formEncode(params),
        })
      case 'soap11':
        return this.raw('POST', '/srv.asmx', {
          headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${NS}${op}"` },
          body: soapEnvelope('1.1', op, params),
        })
      case 'soap12':
        return this.raw('POST', '/srv.asmx', {
          headers: { 'content-type': `application/soap+xml; charset=utf-8; action="${NS}${op}"` },
          body: soapEnvelope('1.2', op, params),
        })
    }
  }

  async login(user: Pick<Fixture, 'userName' | 'password'>, binding: Binding = 'http-get'): Promise<string> {
    const answer = await this.call(binding, 'AuthenticateUser', { UID: user.userName, PWD: user.password })
    const ticket = answer.attrs.ticket
    if (answer.attrs.success !== 'true' || ticket === undefined) throw new Error(`login failed: ${answer.body}`)
    return ticket
  }

  /** GetUser over GET; the `<User>` attributes. */
  async readUser(ticket: string, userName: string): Promise<Record<string, string>> {
    const answer = await this.call('http-get', 'GetUser', { authenticationTicket: ticket, UserName: userName })
    if (answer.user === undefined) throw new Error(`GetUser failed: ${answer.body}`)
    return answer.user
  }

  async advanceClock(ms: number): Promise<void> {
    const answer = await this.control('POST', '/__reference/clock', { advanceMs: ms })
    if (answer.status !== 204) throw new Error(`clock: ${answer.status}`)
  }
}

export async function startClient(options: ReferenceOptions = {}): Promise<RefClient> {
  return new RefClient(await startReference(options))
}

export const DAY_MS = 24 * 60 * 60 * 1000

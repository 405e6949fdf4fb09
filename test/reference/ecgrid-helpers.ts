/**
 * Test helpers for the ECGrid family on the reference: fixture users through the control endpoint, ECGridOS
 * SOAP calls (1.1 and 1.2) parsed into results or faults, ECGrid REST calls parsed as JSON.
 */
import { expect } from 'vitest'
import { parser, soapEnvelope, uniqueName, type Answer, type RefClient, type Value } from './helpers.ts'

export const EO_PATH = '/v4.1/prod/ECGridOS.asmx'
export const EO_NS = 'http://www.ecgridos.net/'
export { SOAP11_NS, SOAP12_NS, XSI_NS } from './helpers.ts'
export const VERSIONS = ['1.1', '1.2'] as const
export type SoapVersion = (typeof VERSIONS)[number]

export const CONTENT_TYPE: Record<SoapVersion, string> = {
  '1.1': 'text/xml; charset=utf-8',
  '1.2': 'application/soap+xml; charset=utf-8',
}
export const JSON_TYPE = 'application/json; charset=utf-8'
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
export const READ_FAULT =
  /^Server was unable to read request\. ---> There is an error in XML document \(\d+, \d+\)\. ---> Input string was not in a correct format\.$/

export type Role = 'Root' | 'TechOps' | 'NetOps' | 'NetworkAdmin' | 'NetworkUser' | 'MailboxAdmin' | 'MailboxUser' | 'TPUser' | 'General'
export type Placement = 'same' | 'other-mailbox' | 'other-network'

export interface EcFixture {
  readonly login: string
  readonly password: string
  readonly firstName: string
  readonly lastName: string
  readonly email: string
  readonly role: Role
  readonly group: string
  readonly userId: number
  readonly apiKey: string
  readonly networkId: number
  readonly mailboxId: number
}

export interface ProvisionOptions {
  readonly login?: string
  readonly password?: string
  readonly firstName?: string
  readonly lastName?: string
  readonly email?: string
  readonly role?: Role
  readonly status?: string
  readonly group?: string
  readonly placement?: Placement
}

export interface Fault {
  /** `soap:Client` (1.1) or `soap:Sender` (1.2) … */
  readonly code: string
  readonly reason: string
  /** The ECGridOSSOAPErrorCode, when the detail carries one. */
  readonly errorCode?: string
}

export interface SoapOutcome extends Answer {
  /** The `<OpResult>` content: text, or child elements by name ('' for an empty element). */
  readonly result?: string | Record<string, string>
  readonly fault?: Fault
}

export interface RestAnswer extends Answer {
  readonly json: Record<string, unknown>
}

type Node = Record<string, unknown>
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'object' && v !== null ? String((v as Node)['#text'] ?? '') : '')

export function parseSoap(answer: Answer, op: string): SoapOutcome {
  const doc = parser.parse(answer.body) as Node
  const body = ((doc.Envelope as Node | undefined)?.Body ?? {}) as Node
  const fault = body.Fault as Node | undefined
  if (fault !== undefined) {
    const detail = (fault.detail ?? fault.Detail) as Node | string | undefined
    const errorCode = typeof detail === 'object' && detail !== null ? text(detail.ECGridOSSOAPErrorCode) : undefined
    const code = fault.faultcode !== undefined ? text(fault.faultcode) : text((fault.Code as Node | undefined)?.Value)
    const reason = fault.faultstring !== undefined ? text(fault.faultstring) : text((fault.Reason as Node | undefined)?.Text)
    return { ...answer, fault: { code, reason, ...(errorCode ? { errorCode } : {}) } }
  }
  const response = body[`${op}Response`] as Node | undefined
  const result = response?.[`${op}Result`]
  if (result === undefined) return answer
  if (typeof result !== 'object' || result === null) return { ...answer, result: text(result) }
  const fields = Object.fromEntries(
    Object.entries(result as Node)
      .filter(([k]) => !k.startsWith('@_'))
      .map(([k, v]) => [k, text(v)]),
  )
  return { ...answer, result: fields }
}

export function eoEnvelope(version: SoapVersion, op: string, params: Record<string, Value>): string {
  return soapEnvelope(version, op, params, EO_NS)
}

export class EcgridClient {
  readonly c: RefClient

  constructor(c: RefClient) {
    this.c = c
  }

  async provision(options: ProvisionOptions = {}, face: 'ecgridos' | 'ecgrid-rest' = 'ecgridos'): Promise<EcFixture> {
    const login = options.login ?? uniqueName('ec')
    const user = {
      login,
      password: `Pw-${login}1!`,
      firstName: 'John',
      lastName: 'Smith',
      email: `${login}@example.com`,
      role: 'MailboxUser' as Role,
      group: uniqueName('grp'),
      ...options,
    }
    const answer = await this.c.control('POST', `/__reference/${face}/users`, user)
    if (answer.status !== 201) throw new Error(`provisioning failed: ${answer.status} ${answer.body}`)
    const ids = JSON.parse(answer.body) as Record<string, string>
    return {
      login: user.login,
      password: user.password,
      firstName: user.firstName,
      lastName: user.lastName,
      email: user.email,
      role: user.role,
      group: user.group,
      userId: Number(ids.userId),
      apiKey: ids.apiKey ?? '',
      networkId: Number(ids.networkId),
      mailboxId: Number(ids.mailboxId),
    }
  }

  send(version: SoapVersion, op: string, params: Record<string, Value>): Promise<Answer> {
    const headers: Record<string, string> =
      version === '1.1'
        ? { 'content-type': CONTENT_TYPE['1.1'], soapaction: `"${EO_NS}${op}"` }
        : { 'content-type': `application/soap+xml; charset=utf-8; action="${EO_NS}${op}"` }
    return this.c.raw('POST', EO_PATH, { headers, body: eoEnvelope(version, op, params) })
  }

  async call(version: SoapVersion, op: string, params: Record<string, Value>): Promise<SoapOutcome> {
    return parseSoap(await this.send(version, op, params), op)
  }

  async login(user: Pick<EcFixture, 'login' | 'password'>, version: SoapVersion = '1.1'): Promise<string> {
    const answer = await this.call(version, 'Login', { UserName: user.login, Password: user.password })
    if (typeof answer.result !== 'string') throw new Error(`login failed: ${answer.body}`)
    return answer.result
  }

  /** UserInfo over SOAP 1.1: the UserIDInfo fields. */
  async userInfo(sessionId: string, userId: number): Promise<Record<string, string>> {
    const answer = await this.call('1.1', 'UserInfo', { SessionID: sessionId, UserID: String(userId) })
    if (typeof answer.result !== 'object') throw new Error(`UserInfo failed: ${answer.body}`)
    return answer.result
  }

  async rest(
    method: string,
    path: string,
    options: { key?: string | null; body?: unknown; raw?: string; contentType?: string | null } = {},
  ): Promise<RestAnswer> {
    const headers: Record<string, string> = {}
    if (options.key !== undefined && options.key !== null) headers['x-api-key'] = options.key
    const contentType = options.contentType === undefined ? 'application/json' : options.contentType
    if (contentType !== null) headers['content-type'] = contentType
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
    const answer = await this.c.raw(method, path, { headers, ...(body === undefined ? {} : { body }) })
    return { ...answer, json: JSON.parse(answer.body) as Record<string, unknown> }
  }

  put(key: string | null, body: unknown): Promise<RestAnswer> {
    return this.rest('PUT', '/v2/users', { key, body })
  }

  get(key: string | null, id: number | string): Promise<RestAnswer> {
    return this.rest('GET', `/v2/users/${id}`, { key })
  }

  /** The user as GET /v2/users/{id} with the user's own key shows it. */
  async read(user: Pick<EcFixture, 'apiKey' | 'userId'>): Promise<Record<string, unknown>> {
    const answer = await this.get(user.apiKey, user.userId)
    if (answer.status !== 200) throw new Error(`GET failed: ${answer.body}`)
    return answer.json.data as Record<string, unknown>
  }
}

/** The SOAP UserIDInfo fields a fixture starts with (Created and ids aside). */
export function soapFields(user: EcFixture): Record<string, string> {
  return {
    UserID: String(user.userId),
    Login: user.login,
    Email: user.email,
    FirstName: user.firstName,
    LastName: user.lastName,
    NetworkID: String(user.networkId),
    MailboxID: String(user.mailboxId),
    AuthLevel: user.role,
    Status: 'Active',
  }
}

export function restError(errorCode: string): Record<string, unknown> {
  return { success: false, data: null, errorCode, message: expect.any(String) }
}

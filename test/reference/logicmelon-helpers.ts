/**
 * Test helpers for LogicMelon on the reference: fixture users through the control endpoint, hand-written
 * `<Op><Request>…</Request></Op>` envelopes (SOAP 1.1 and 1.2), answers parsed into CUser records or faults.
 */
import { SOAP11_NS, SOAP12_NS, XSI_NS, parser, uniqueName, type Answer, type RefClient } from './helpers.ts'

export { SOAP11_NS, SOAP12_NS, XSI_NS }
export const LM_PATH = '/json/Administration.asmx'
export const LM_NS = 'http://api.logicmelon.com/'

export const VERSIONS = ['1.1', '1.2'] as const
export type SoapVersion = (typeof VERSIONS)[number]

export const CONTENT_TYPE: Record<SoapVersion, string> = {
  '1.1': 'text/xml; charset=utf-8',
  '1.2': 'application/soap+xml; charset=utf-8',
}

/** The fault codes of an operation failure, per version. */
export const SERVER_CODE: Record<SoapVersion, string> = { '1.1': 'soap:Server', '1.2': 'soap:Receiver' }
export const CLIENT_CODE: Record<SoapVersion, string> = { '1.1': 'soap:Client', '1.2': 'soap:Sender' }

export const processFault = (message: string): string => `Server was unable to process request. ---> ${message}`

export const READ_FAULT = (inner: string): RegExp =>
  new RegExp(
    `^Server was unable to read request\\. ---> There is an error in XML document \\(\\d+, \\d+\\)\\. ---> ${inner.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
  )

/** An element's content: text, nil (null), left out (undefined) or child elements. */
export type XValue = string | null | undefined | XRecord
export interface XRecord {
  readonly [name: string]: XValue
}

const xmlEscape = (text: string): string => text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] ?? ch)

export function xmlOf(name: string, value: XValue): string {
  if (value === undefined) return ''
  if (value === null) return `<${name} xsi:nil="true" />`
  if (typeof value === 'string') return `<${name}>${xmlEscape(value)}</${name}>`
  return `<${name}>${Object.entries(value)
    .map(([k, v]) => xmlOf(k, v))
    .join('')}</${name}>`
}

/** `<Op xmlns="LogicMelon"><Request>…</Request></Op>` in an envelope; `request` undefined leaves Request out. */
export function lmEnvelope(version: SoapVersion, op: string, request: XValue): string {
  const ns = version === '1.1' ? SOAP11_NS : SOAP12_NS
  return (
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${ns}" xmlns:xsi="${XSI_NS}">` +
    `<soap:Body><${op} xmlns="${LM_NS}">${xmlOf('Request', request)}</${op}></soap:Body></soap:Envelope>`
  )
}

export type Role = 'Administrator' | 'Recruiter'

export interface LmFixture {
  readonly username: string
  readonly password: string
  readonly role: Role
  readonly group: string
  readonly userId: number
  readonly organisationId: number
  readonly organisationIdentifier: string
  readonly userIdentifier: string
  readonly apiKey: string
}

export interface LmProvision {
  readonly username?: string
  readonly password?: string
  readonly role?: Role
  readonly group?: string
  readonly placement?: 'same' | 'other-organisation'
  readonly [field: string]: string | undefined
}

export interface LmFault {
  readonly code: string
  readonly reason: string
}

/** A CUser as text fields ('' for an empty element). */
export type CUser = Record<string, string>

export interface LmOutcome extends Answer {
  readonly fault?: LmFault
  /** UserUpdate / UserAdd: the CUser; UserList: see `users`. */
  readonly user?: CUser
  readonly users?: CUser[]
  /** A text result (UserDelete). */
  readonly text?: string
  /** The names of the result's children, in order. */
  readonly fieldOrder?: string[]
}

type Node = Record<string, unknown>
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'object' && v !== null ? String((v as Node)['#text'] ?? '') : '')
const fields = (node: unknown): CUser =>
  typeof node === 'object' && node !== null
    ? Object.fromEntries(
        Object.entries(node as Node)
          .filter(([k]) => !k.startsWith('@_'))
          .map(([k, v]) => [k, text(v)]),
      )
    : {}

export function parseLm(answer: Answer, op: string): LmOutcome {
  const doc = parser.parse(answer.body) as Node
  const body = ((doc.Envelope as Node | undefined)?.Body ?? {}) as Node
  const fault = body.Fault as Node | undefined
  if (fault !== undefined) {
    const code = fault.faultcode !== undefined ? text(fault.faultcode) : text((fault.Code as Node | undefined)?.Value)
    const reason = fault.faultstring !== undefined ? text(fault.faultstring) : text((fault.Reason as Node | undefined)?.Text)
    return { ...answer, fault: { code, reason } }
  }
  const result = (body[`${op}Response`] as Node | undefined)?.[`${op}Result`]
  if (result === undefined) return answer
  if (op === 'UserList') {
    const items = typeof result === 'object' && result !== null ? (result as Node).CUser : undefined
    const list = items === undefined ? [] : Array.isArray(items) ? items : [items]
    return { ...answer, users: list.map(fields) }
  }
  if (typeof result !== 'object' || result === null) return { ...answer, text: text(result) }
  const user = fields(result)
  return { ...answer, user, fieldOrder: Object.keys(user) }
}

export class LmClient {
  readonly c: RefClient

  constructor(c: RefClient) {
    this.c = c
  }

  async provision(options: LmProvision = {}): Promise<LmFixture> {
    const username = options.username ?? uniqueName('lm')
    const user = { username, password: `Pw-${username}`, role: 'Administrator' as Role, group: uniqueName('grp'), ...options }
    const answer = await this.c.control('POST', '/__reference/logicmelon/users', user)
    if (answer.status !== 201) throw new Error(`provisioning failed: ${answer.status} ${answer.body}`)
    const ids = JSON.parse(answer.body) as Record<string, string>
    return {
      username,
      password: user.password,
      role: user.role,
      group: user.group,
      userId: Number(ids.userId),
      organisationId: Number(ids.organisationId),
      organisationIdentifier: ids.organisationIdentifier ?? '',
      userIdentifier: ids.userIdentifier ?? '',
      apiKey: ids.apiKey ?? '',
    }
  }

  send(version: SoapVersion, op: string, request: XValue): Promise<Answer> {
    const headers: Record<string, string> =
      version === '1.1'
        ? { 'content-type': CONTENT_TYPE['1.1'], soapaction: `"${LM_NS}${op}"` }
        : { 'content-type': `application/soap+xml; charset=utf-8; action="${LM_NS}${op}"` }
    return this.c.raw('POST', LM_PATH, { headers, body: lmEnvelope(version, op, request) })
  }

  async call(version: SoapVersion, op: string, request: XValue): Promise<LmOutcome> {
    return parseLm(await this.send(version, op, request), op)
  }

  /** UserList over SOAP 1.1 as `caller`: the users. */
  async list(caller: LmFixture, extra: XRecord = {}): Promise<CUser[]> {
    const answer = await this.call('1.1', 'UserList', { ...credentials(caller), ...extra })
    if (answer.users === undefined) throw new Error(`UserList failed: ${answer.body}`)
    return answer.users
  }

  /** The user with this UserID as UserList shows it to `caller`. */
  async read(caller: LmFixture, userId: number): Promise<CUser> {
    const [user] = await this.list(caller, { sUserIdentifier: String(userId) })
    if (user === undefined) throw new Error(`user ${userId} not listed`)
    return user
  }

  update(version: SoapVersion, caller: LmFixture, user: XRecord): Promise<LmOutcome> {
    return this.call(version, 'UserUpdate', { ...credentials(caller), User: user })
  }
}

export function credentials(user: Pick<LmFixture, 'apiKey' | 'username' | 'password'>): XRecord {
  return { sCultureID: 'en', sAPIKey: user.apiKey, sUsername: user.username, sPassword: user.password }
}

// Written out from the page and DESIGN D5, not imported from reference/logicmelon/cuser.ts: the tests hold the
// reference to the documented list instead of agreeing with whatever the reference declares.
export const UPDATEABLE_TEXT = [
  'FirstName',
  'LastName',
  'Phone',
  'Email',
  'ApplicationsEmail',
  'Fax',
  'UserCultureID',
  'WebSite',
  'UserAddress1',
  'UserAddress2',
  'UserAddress3',
  'UserState',
  'UserCountry',
  'UserPostCode',
  'UserWebSite',
  'Mobile',
  'Position',
] as const

export const FLAGS = [
  'BBDCopySentMessages',
  'BBDLiveAdvertEmail',
  'BBDExpiringEmail',
  'BBDExpiredEmail',
  'DailyNewCandidatesEmail',
  'BBDInformCandidatesEmail',
  'BBDRemovedManuallyEmail',
] as const

/** Every CUser element, in schema order. */
export const CUSER_ORDER = [
  'UserID',
  'OrganisationID',
  'UserIdentifier',
  'FirstName',
  'LastName',
  'Phone',
  'Email',
  'ApplicationsEmail',
  'Fax',
  'Username',
  'Password',
  'UserRoleID',
  'UserCultureID',
  'WebSite',
  'UserAddress1',
  'UserAddress2',
  'UserAddress3',
  'UserState',
  'UserCountry',
  'UserPostCode',
  'UserWebSite',
  'Mobile',
  'Position',
  ...FLAGS,
]

/** A profile with a distinct value per updateable string (camelCase keys for the control endpoint). */
export function profile(tag: string): Record<string, string> {
  return Object.fromEntries(UPDATEABLE_TEXT.map((f) => [`${f.charAt(0).toLowerCase()}${f.slice(1)}`, `${f}-${tag}`]))
}

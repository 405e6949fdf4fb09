/**
 * The probes of the variation tests: one fixed scenario (same users, same clock, same requests) run against
 * a reference, giving every kind of answer the APIs write (infoRouter GET/POST and SOAP results, SOAP
 * faults of every service, WSDL, ECGridOS, LogicMelon, REST successes and errors) as raw bytes. Run against
 * the plain reference and against one with a variation, the two sets of answers differ only as the variation says.
 */
import { request } from 'undici'
import { startReference, type RunningReference } from '../../reference/index.ts'
import { formEncode, NS, soapEnvelope, type Value } from './helpers.ts'
import { EO_NS, EO_PATH } from './ecgrid-helpers.ts'
import { LM_NS, LM_PATH, lmEnvelope, type XValue } from './logicmelon-helpers.ts'
import { maskGuids, xmlMeaning, type XmlMeaning } from './variations-meaning.ts'

export interface Probe {
  readonly status: number
  /** The status line's reason phrase. */
  readonly reason: string
  readonly headers: Record<string, string | string[] | undefined>
  readonly bytes: Buffer
  /** The body as UTF-8, a BOM kept as U+FEFF, GUIDs and the reference's address masked. */
  readonly body: string
  /** The body as sent. */
  readonly raw: string
}

export type Probes = Readonly<Record<string, Probe>>

const NOW = new Date('2024-01-15T09:30:00Z')
const UNKNOWN_TICKET = '0b5f6c1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e'
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true })

type Send = (method: string, path: string, headers?: Record<string, string>, body?: string) => Promise<Probe>

function sender(ref: RunningReference): Send {
  return async (method, path, headers = {}, payload) => {
    const res = await request(`${ref.url}${path}`, { method: method as 'GET', headers, ...(payload === undefined ? {} : { body: payload }) })
    // The WSDL names the reference's own address (two references listen on two ports); tickets and sessions are
    // random GUIDs: one fixed GUID stands for each, in the case it was written in.
    const raw = UTF8.decode(await res.body.arrayBuffer())
    const body = maskGuids(raw.replaceAll(ref.url, 'http://reference'))
    return { status: res.statusCode, reason: res.statusText, headers: res.headers, bytes: Buffer.from(body, 'utf8'), body, raw }
  }
}

const soapHeaders = (version: '1.1' | '1.2', action: string): Record<string, string> =>
  version === '1.1'
    ? { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action}"` }
    : { 'content-type': `application/soap+xml; charset=utf-8; action="${action}"` }

/** Read through the namespace-aware reader, so that whatever spelling a variation chose, the value is found. */
function find(m: XmlMeaning, local: string): XmlMeaning | undefined {
  if (m.name.endsWith(`}${local}`)) return m
  for (const c of m.children) {
    const hit = typeof c === 'string' ? undefined : find(c, local)
    if (hit) return hit
  }
  return undefined
}
const attr = (xml: string, name: string): string => xmlMeaning(xml, false).attrs[`{}${name}`] ?? ''
const elementText = (xml: string, local: string): string => {
  const hit = find(xmlMeaning(xml, false), local)
  return typeof hit?.children[0] === 'string' ? hit.children[0] : ''
}

/** Starts a reference with these variations (fixed clock), runs every probe in order, closes it. */
export async function runProbes(variations: string[] = []): Promise<Probes> {
  const ref = await startReference({ variations, now: () => NOW })
  try {
    return await probe(ref)
  } finally {
    await ref.close()
  }
}

async function probe(ref: RunningReference): Promise<Probes> {
  const send = sender(ref)
  const control = (path: string, body: unknown): Promise<Probe> =>
    send('POST', `/__reference/${path}`, { 'content-type': 'application/json', 'x-reference-control': ref.controlKey }, JSON.stringify(body))
  const out: Record<string, Probe> = {}

  // infoRouter: a member with XML-special characters in a name, GET/POST and SOAP answers, a SOAP fault.
  await control('inforouter/users', {
    userName: 'jane',
    password: 'pw-jane',
    role: 'member',
    firstName: 'Jane & <Co>',
    lastName: "O'Hara",
    email: 'jane@example.com',
    mobileNumber: '+1 555',
  })
  const irGet = (op: string, params: Record<string, Value>): Promise<Probe> => send('GET', `/srv.asmx/${op}?${formEncode(params)}`)
  const irSoap = (version: '1.1' | '1.2', op: string, params: Record<string, Value>): Promise<Probe> =>
    send('POST', '/srv.asmx', soapHeaders(version, `${NS}${op}`), soapEnvelope(version, op, params))
  out['ir-login'] = await irGet('AuthenticateUser', { UID: 'jane', PWD: 'pw-jane' })
  const ticket = attr(out['ir-login'].raw, 'ticket')
  out['ir-get-user-get'] = await irGet('GetUser', { authenticationTicket: ticket, UserName: 'jane' })
  out['ir-get-user-post'] = await send(
    'POST',
    '/srv.asmx/GetUser',
    { 'content-type': 'application/x-www-form-urlencoded' },
    formEncode({ authenticationTicket: ticket, UserName: 'jane' }),
  )
  out['ir-get-user-soap12'] = await irSoap('1.2', 'GetUser', { authenticationTicket: ticket, UserName: 'jane' })
  out['ir-update-ok-soap11'] = await irSoap('1.1', 'UpdateUserEmail', { authenticationTicket: ticket, UserName: 'jane', NewEmailAddress: 'jane@example.com' })
  out['ir-malformed-ticket-get'] = await irGet('UpdateUserEmail', { authenticationTicket: 'x', UserName: 'jane', NewEmailAddress: 'a@b.test' })
  out['ir-unknown-ticket-soap11'] = await irSoap('1.1', 'UpdateUserEmail', {
    authenticationTicket: UNKNOWN_TICKET,
    UserName: 'jane',
    NewEmailAddress: 'a@b.test',
  })
  out['ir-unknown-user-soap12'] = await irSoap('1.2', 'UpdateUserEmail', { authenticationTicket: ticket, UserName: 'nobody', NewEmailAddress: 'a@b.test' })
  out['ir-fault-soap11'] = await send('POST', '/srv.asmx', soapHeaders('1.1', `${NS}NoSuchOp`), soapEnvelope('1.1', 'NoSuchOp', {}))
  out['ir-fault-soap12'] = await send('POST', '/srv.asmx', soapHeaders('1.2', `${NS}NoSuchOp`), soapEnvelope('1.2', 'NoSuchOp', {}))
  out['ir-missing-parameter'] = await irGet('UpdateUserContactInfo', { authenticationTicket: ticket, userName: 'jane', emailAddress: 'a@b.test' })
  out['ir-wsdl'] = await send('GET', '/srv.asmx?WSDL')

  // ECGridOS and ECGrid REST (one store): a MailboxUser, answers and faults of both versions.
  const ec = JSON.parse(
    (
      await control('ecgridos/users', {
        login: 'ecjane',
        password: 'Pw-ecjane1!',
        role: 'MailboxUser',
        group: 'g1',
        firstName: 'Jane',
        lastName: 'Doe',
        email: 'ecjane@example.com',
      })
    ).body,
  ) as { userId: string; apiKey: string }
  const eo = (version: '1.1' | '1.2', op: string, params: Record<string, Value>): Promise<Probe> =>
    send('POST', EO_PATH, soapHeaders(version, `${EO_NS}${op}`), soapEnvelope(version, op, params, EO_NS))
  out['eo-login'] = await eo('1.1', 'Login', { UserName: 'ecjane', Password: 'Pw-ecjane1!' })
  const session = elementText(out['eo-login'].raw, 'LoginResult')
  out['eo-user-info-soap11'] = await eo('1.1', 'UserInfo', { SessionID: session, UserID: ec.userId })
  out['eo-user-update-soap12'] = await eo('1.2', 'UserUpdate', {
    SessionID: session,
    UserID: ec.userId,
    FirstName: 'Janet',
    LastName: 'Doe',
    Email: 'ecjane@example.com',
  })
  out['eo-fault-soap11'] = await eo('1.1', 'UserUpdate', { SessionID: UNKNOWN_TICKET, UserID: ec.userId, FirstName: 'x' })
  out['eo-fault-soap12'] = await eo('1.2', 'UserInfo', { SessionID: UNKNOWN_TICKET, UserID: ec.userId })
  out['eo-unknown-user-bad-email'] = await eo('1.1', 'UserUpdate', { SessionID: session, UserID: '999999', Email: 'not-an-address' })
  out['eo-wsdl'] = await send('GET', `${EO_PATH}?WSDL`)

  const put = (body: unknown, contentType = 'application/json'): Promise<Probe> =>
    send('PUT', '/v2/users', { 'x-api-key': ec.apiKey, 'content-type': contentType }, typeof body === 'string' ? body : JSON.stringify(body))
  const userId = Number(ec.userId)
  out['er-get'] = await send('GET', `/v2/users/${userId}`, { 'x-api-key': ec.apiKey })
  out['er-put-ok'] = await put({ userId, firstName: 'Jane', lastName: 'Doë' })
  out['er-put-bad-email'] = await put({ userId, email: 'not-an-address' })
  out['er-put-wrong-content-type'] = await put(JSON.stringify({ userId, firstName: 'x' }), 'text/plain')
  out['er-put-mass-assignment'] = await put({ userId, firstName: 'Jane', authLevel: 'Root' })
  out['er-put-unknown-user-bad-email'] = await put({ userId: 999999, email: 'not-an-address' })
  out['er-get-after'] = await send('GET', `/v2/users/${userId}`, { 'x-api-key': ec.apiKey })
  out['er-missing-key'] = await send('GET', `/v2/users/${userId}`)
  // Last of ECGrid: what a strict email rule refuses changes the user for the plain reference only.
  out['er-put-strict-email'] = await put({ userId, email: 'ecjane@example.c' })
  out['eo-strict-email'] = await eo('1.1', 'UserUpdate', { SessionID: session, UserID: ec.userId, Email: 'ecjane@example.d' })
  out['eo-logout-soap11'] = await eo('1.1', 'Logout', { SessionID: session })

  // LogicMelon: an administrator and a recruiter of one organisation.
  const admin = JSON.parse(
    (await control('logicmelon/users', { username: 'lmadmin', password: 'Pw-lmadmin', role: 'Administrator', group: 'g1', userIdentifier: 'usr-admin' })).body,
  ) as { apiKey: string }
  const recruiter = JSON.parse(
    (
      await control('logicmelon/users', {
        username: 'lmrec',
        password: 'Pw-lmrec',
        role: 'Recruiter',
        group: 'g1',
        userIdentifier: 'usr-rec',
        position: 'Lead',
      })
    ).body,
  ) as { userId: string }
  const creds = { sCultureID: 'en', sAPIKey: admin.apiKey, sUsername: 'lmadmin', sPassword: 'Pw-lmadmin' }
  const lm = (version: '1.1' | '1.2', op: string, req: XValue): Promise<Probe> =>
    send('POST', LM_PATH, soapHeaders(version, `${LM_NS}${op}`), lmEnvelope(version, op, req))
  out['lm-list-soap11'] = await lm('1.1', 'UserList', { ...creds, sUserIdentifier: recruiter.userId })
  out['lm-update-soap12'] = await lm('1.2', 'UserUpdate', { ...creds, User: { UserID: recruiter.userId, Position: 'Head', BBDCopySentMessages: 'true' } })
  out['lm-fault-soap11'] = await lm('1.1', 'UserUpdate', { ...creds, sAPIKey: 'wrong', User: { UserID: recruiter.userId } })
  out['lm-fault-soap12'] = await lm('1.2', 'UserUpdate', { ...creds, User: { UserID: '999999' } })
  out['lm-list-all-soap12'] = await lm('1.2', 'UserList', creds)
  out['lm-delete-soap11'] = await lm('1.1', 'UserDelete', { ...creds, User: { UserID: recruiter.userId } })
  return out
}

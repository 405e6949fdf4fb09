/**
 * Valid requests of every API the reference serves, as the fuzzer's starting points: each is then mutated
 * (envelopes, query strings, form bodies, JSON, headers). Params are name → text; nested groups are objects.
 */

export type Params = { [name: string]: string | Params }

export interface Identities {
  inforouter: { userName: string; password: string; ticket: string; victim: string }
  ecgrid: { login: string; password: string; session: string; userId: string; apiKey: string; victimId: string }
  logicmelon: { apiKey: string; username: string; password: string; victimId: string; victimOrganisationId: string }
}

export type SoapVersion = '1.1' | '1.2'

export interface SoapCall {
  api: 'inforouter' | 'ecgridos' | 'logicmelon'
  path: string
  namespace: string
  operation: string
  params: Params
}
export interface FormCall {
  path: string
  operation: string
  params: Record<string, string>
}
export interface JsonCall {
  method: 'PUT' | 'GET'
  path: string
  apiKey: string
  body?: unknown
}

const ENVELOPE: Record<SoapVersion, string> = { '1.1': 'http://schemas.xmlsoap.org/soap/envelope/', '1.2': 'http://www.w3.org/2003/05/soap-envelope' }
const escapeXml = (t: string) => t.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

function xmlParams(params: Params): string {
  return Object.entries(params)
    .map(([k, v]) => `<${k}>${typeof v === 'string' ? escapeXml(v) : xmlParams(v)}</${k}>`)
    .join('')
}

export function envelope(version: SoapVersion, call: SoapCall): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${ENVELOPE[version]}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<soap:Body><${call.operation} xmlns="${call.namespace}">${xmlParams(call.params)}</${call.operation}></soap:Body></soap:Envelope>`
  )
}

export function soapHeaders(version: SoapVersion, call: SoapCall): Record<string, string> {
  const action = `${call.namespace}${call.operation}`
  return version === '1.1'
    ? { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${action}"` }
    : { 'content-type': `application/soap+xml; charset=utf-8; action="${action}"` }
}

const IR = { api: 'inforouter', path: '/srv.asmx', namespace: 'http://tempuri.org/' } as const
const EO = { api: 'ecgridos', path: '/v4.1/prod/ECGridOS.asmx', namespace: 'http://www.ecgridos.net/' } as const
const LM = { api: 'logicmelon', path: '/json/Administration.asmx', namespace: 'http://api.logicmelon.com/' } as const

/** infoRouter's operations with the fuzzing member's ticket (LogOut is left to garbage tickets: it would end the session). */
export function infoRouterCalls(id: Identities['inforouter']): Array<{ operation: string; params: Record<string, string> }> {
  return [
    { operation: 'AuthenticateUser', params: { UID: id.userName, PWD: id.password } },
    { operation: 'GetUser', params: { authenticationTicket: id.ticket, UserName: id.victim } },
    { operation: 'UpdateUserEmail', params: { authenticationTicket: id.ticket, UserName: id.victim, NewEmailAddress: 'fuzz@example.com' } },
    {
      operation: 'UpdateUserContactInfo',
      params: { authenticationTicket: id.ticket, userName: id.victim, emailAddress: 'fuzz@example.com', mobileNumber: '15550001111' },
    },
    { operation: 'UpdateUserEmail', params: { authenticationTicket: id.ticket, UserName: id.userName, NewEmailAddress: 'self@example.com' } },
    { operation: 'LogOut', params: { AuthenticationTicket: '00000000-0000-0000-0000-000000000000' } },
  ]
}

const cuser = (userId: string, organisationId: string): Params => ({
  UserID: userId,
  OrganisationID: organisationId,
  FirstName: 'Fuzz',
  LastName: 'Er',
  Email: 'fuzz@example.com',
  Username: 'fuzzed',
  UserRoleID: '2',
  Mobile: '07700900000',
  BBDCopySentMessages: 'true',
})

export function soapCalls(ids: Identities): SoapCall[] {
  const ir = infoRouterCalls(ids.inforouter).map((c) => ({ ...IR, ...c }))
  const e = ids.ecgrid
  const eo: SoapCall[] = [
    { ...EO, operation: 'Login', params: { UserName: e.login, Password: e.password } },
    { ...EO, operation: 'UserInfo', params: { SessionID: e.session, UserID: e.victimId } },
    { ...EO, operation: 'UserUpdate', params: { SessionID: e.session, UserID: e.victimId, FirstName: 'Fuzz', LastName: 'Er', Email: 'fuzz@example.com' } },
    { ...EO, operation: 'UserUpdate', params: { SessionID: e.session, UserID: e.userId, FirstName: 'Self', LastName: 'Er', Email: 'self@example.com' } },
    { ...EO, operation: 'Logout', params: { SessionID: '0f0e0d0c0b0a09080706050403020100' } },
  ]
  const l = ids.logicmelon
  const creds = { sCultureID: 'en-GB', sAPIKey: l.apiKey, sUsername: l.username, sPassword: l.password }
  const lm: SoapCall[] = [
    { ...LM, operation: 'UserList', params: { Request: { ...creds, sStartOrganisation: l.victimOrganisationId } } },
    { ...LM, operation: 'UserUpdate', params: { Request: { ...creds, User: cuser(l.victimId, l.victimOrganisationId) } } },
    { ...LM, operation: 'UserAdd', params: { Request: { ...creds, sParentOrganisationIdentifier: '', User: cuser('0', l.victimOrganisationId) } } },
    { ...LM, operation: 'UserDelete', params: { Request: { ...creds, User: cuser(l.victimId, l.victimOrganisationId) } } },
  ]
  return [...ir, ...eo, ...lm]
}

export function formCalls(ids: Identities): FormCall[] {
  return infoRouterCalls(ids.inforouter).map((c) => ({ path: `${IR.path}/${c.operation}`, ...c }))
}

export function jsonCalls(ids: Identities): JsonCall[] {
  const e = ids.ecgrid
  return [
    { method: 'PUT', path: '/v2/users', apiKey: e.apiKey, body: { userId: Number(e.victimId), email: 'fuzz@example.com', firstName: 'Fuzz', lastName: 'Er' } },
    { method: 'PUT', path: '/v2/users', apiKey: e.apiKey, body: { userId: Number(e.userId), email: 'self@example.com', firstName: 'Self' } },
    { method: 'GET', path: `/v2/users/${e.victimId}`, apiKey: e.apiKey },
  ]
}

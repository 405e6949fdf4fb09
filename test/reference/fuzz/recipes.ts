import fc from 'fast-check'
import { envelope, formCalls, jsonCalls, soapCalls, soapHeaders, type Identities, type Params, type SoapVersion } from './templates.ts'

/**
 * A fuzz case as a small, printable recipe (which valid request to start from and how to break it), so that a
 * failing case reads well in fast-check's report; `build` turns it into bytes on the wire.
 */

export type TextEdit =
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'repeat'; at: number; length: number; times: number }

export type ParamEdit =
  | { kind: 'set'; index: number; value: string }
  | { kind: 'drop'; index: number }
  | { kind: 'rename'; index: number; name: string }
  | { kind: 'nil'; index: number }
  | { kind: 'add'; name: string; value: string }

export interface HeaderEdit {
  contentType?: string
  soapAction?: string
  method?: string
  extra?: [string, number]
  path?: string
}

export interface Recipe {
  shape: 'soap' | 'get' | 'post' | 'json'
  template: number
  version: SoapVersion
  params: ParamEdit[]
  text: TextEdit[]
  headers: HeaderEdit
  /** Sent over a raw socket, the body cut short of its Content-Length (then the socket half-closed). */
  truncateBody?: number
  /** A body far over the reference's request limit (413). */
  oversize?: boolean
}

export interface WireCase {
  method: string
  path: string
  headers: Record<string, string>
  body?: Buffer
  truncateBody?: number
}

const LAUGHS = `<!DOCTYPE soap:Envelope [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 8 }, (_, i) => `<!ENTITY a${i + 1} "${`&a${i || ''};`.repeat(10)}">`).join('')}]>`
const XML_SNIPPETS = [
  '<!DOCTYPE soap:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
  LAUGHS,
  '&a8;',
  '&xxe;',
  '&undefined;',
  '&#0;',
  '&#xD800;',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '<?xml version="1.1"?>',
  '\uFEFF',
  '<soap:Header><x/></soap:Header>',
  '</soap:Body>',
  '<x:y>',
  ' xmlns:soap="urn:other"',
  ' xmlns=""',
  ' xsi:nil="true"',
  ' xsi:type="xsd:int"',
  '<UserID>1</UserID>',
  '<User />',
  '<Request />',
  `${'<a>'.repeat(300)}${'</a>'.repeat(300)}`,
  '<a>'.repeat(5000),
  `<r>${'<e/>'.repeat(20000)}</r>`,
]
const NASTY = [
  '',
  ' ',
  "' OR '1'='1",
  "'; DROP TABLE ir_users; --",
  '1; DELETE FROM ec_users',
  '\u0000',
  '\u0001',
  '%00',
  '%',
  '%zz',
  '+',
  '&amp;',
  '&',
  '<x>',
  ']]>',
  '${env:HOME}',
  '../../../../etc/passwd',
  '\uFFFE',
  '\uD800',
  'null',
  '-1',
  '0',
  '5001',
  '20001',
  '2147483648',
  '99999999999999999999',
  '1e400',
  'NaN',
  'true',
  'TRUE',
  '{}',
  '[]',
  'Ω≈ç√∫',
  '😀',
  'a\r\nb',
  '\t',
  'x'.repeat(300),
]
const CONTENT_TYPES = [
  'text/xml',
  'text/xml; charset=utf-8',
  'text/xml; charset=utf-16',
  'text/xml; charset=iso-8859-1',
  'application/soap+xml',
  'application/soap+xml; action=x',
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
  ';;;',
  'xml',
]
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']
const PATHS = [
  '/',
  '/srv.asmx',
  '/SRV.ASMX',
  '/srv.asmx/',
  '/srv.asmx/Nope',
  '/srv.asmx?WSDL',
  '/srv.asmx?wsdl&x=%zz',
  '/v4.1/prod/ECGridOS.asmx?WSDL',
  '/json/Administration.asmx/UserList',
  '/v2/users/',
  '/v2/users/abc',
  '/v2/users/-1',
  '/v2/users/99999999999999999999',
  '/v2/users/5001/x',
  '/v2//users',
  '/__reference/inforouter/users',
  '/__reference/clock',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/srv.asmx/..%2f..%2f',
  '//',
  '/?',
]

const nasty = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 70_000 }).map((n) => 'A'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer().map(String) },
)
const position = fc.nat({ max: 1_000_000 })
const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('insert' as const), at: position, text: fc.oneof(fc.constantFrom(...XML_SNIPPETS), nasty) }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('byte' as const), at: position, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: position, length: fc.integer({ min: 1, max: 30 }), times: fc.integer({ min: 2, max: 200 }) }),
)
const paramEdits = (near: string[]): fc.Arbitrary<ParamEdit> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), index: fc.nat(), value: nasty }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), index: fc.nat(), value: fc.constantFrom(...near) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), index: fc.nat() }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('rename' as const),
        index: fc.nat(),
        name: fc.constantFrom('userName', 'USERNAME', 'x', 'SessionId', 'sapikey', 'User', 'Request'),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('nil' as const), index: fc.nat() }) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('add' as const),
        name: fc.constantFrom('UserName', 'extra', 'authenticationTicket', 'UserID', 'OrganisationID'),
        value: nasty,
      }),
    },
  )
const headerEdit: fc.Arbitrary<HeaderEdit> = fc.record(
  {
    contentType: fc.constantFrom(...CONTENT_TYPES),
    soapAction: fc.oneof(
      fc.constantFrom('', '""', '"http://tempuri.org/GetUser"', '"http://www.ecgridos.net/UserUpdate"', '"urn:nothing"'),
      fc.string({ maxLength: 20 }),
    ),
    method: fc.constantFrom(...METHODS),
    extra: fc.tuple(
      fc.constantFrom('x-fuzz', 'accept', 'x-api-key', 'transfer-encoding', 'expect', 'content-encoding'),
      fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 8_000, max: 20_000 })),
    ),
    path: fc.constantFrom(...PATHS),
  },
  { requiredKeys: [] },
)

/** One case in `oneIn` has a value; the others leave it out. */
const rarely = <T>(arb: fc.Arbitrary<T>, oneIn: number) => fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb })

/**
 * `near` are values close to valid ones (other users' names and ids in other spellings, other tokens), which is
 * where an authorisation check slips.
 */
export function recipes(templates: { soap: number; form: number; json: number }, near: string[]): fc.Arbitrary<Recipe> {
  return fc
    .record(
      {
        shape: fc.constantFrom('soap', 'soap', 'soap', 'get', 'post', 'json', 'json'),
        template: fc.nat(),
        version: fc.constantFrom('1.1', '1.2'),
        params: fc.array(paramEdits(near), { maxLength: 3 }),
        text: fc.oneof({ weight: 2, arbitrary: fc.constant<TextEdit[]>([]) }, { weight: 3, arbitrary: fc.array(textEdit, { minLength: 1, maxLength: 3 }) }),
        headers: fc.oneof({ weight: 3, arbitrary: fc.constant<HeaderEdit>({}) }, { weight: 1, arbitrary: headerEdit }),
        truncateBody: rarely(fc.nat(), 30),
        oversize: rarely(fc.constant(true as const), 300),
      },
      { requiredKeys: ['shape', 'template', 'version', 'params', 'text', 'headers'] },
    )
    .map((r) => {
      const count = r.shape === 'soap' ? templates.soap : r.shape === 'json' ? templates.json : templates.form
      return { ...r, template: r.template % count }
    })
}

/** Leaves of a params tree, in order, as paths. */
function leaves(params: Params, prefix: string[] = []): string[][] {
  return Object.entries(params).flatMap(([k, v]) => (typeof v === 'string' ? [[...prefix, k]] : leaves(v, [...prefix, k])))
}

function editParams(params: Params, edits: ParamEdit[]): Params {
  const copy = structuredClone(params)
  for (const e of edits) {
    if (e.kind === 'add') {
      copy[e.name] = e.value
      continue
    }
    const all = leaves(copy)
    const path = all[e.index % Math.max(1, all.length)]
    if (!path) continue
    const parent = path.slice(0, -1).reduce<Params>((p, k) => p[k] as Params, copy)
    const key = path[path.length - 1]!
    if (e.kind === 'set') parent[key] = e.value
    else if (e.kind === 'drop') delete parent[key]
    else if (e.kind === 'nil') parent[key] = '\u0000NIL'
    else {
      parent[e.name] = parent[key]!
      delete parent[key]
    }
  }
  return copy
}

function editText(bytes: Buffer, edits: TextEdit[]): Buffer {
  let b = bytes
  for (const e of edits) {
    const at = b.length ? e.at % (b.length + 1) : 0
    if (e.kind === 'truncate') b = b.subarray(0, at)
    else if (e.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(e.text), b.subarray(at)])
    else if (e.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + e.length)])
    else if (e.kind === 'byte') b = Buffer.concat([b.subarray(0, at), Buffer.from([e.value]), b.subarray(at + 1)])
    else b = Buffer.concat([b.subarray(0, at), ...Array.from({ length: e.times }, () => b.subarray(at, at + e.length)), b.subarray(at)])
  }
  return b
}

/** Percent-encodes text as UTF-8 bytes; unlike encodeURIComponent it takes lone surrogates (as U+FFFD). */
const pct = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0').toUpperCase()}`))
    .join('')
/** Header values and paths must be sendable (visible ASCII): anything else is percent-encoded. */
const visible = (text: string) => text.replace(/[^\x21-\x7e]+/g, pct)
const headerSafe = (text: string) => text.replace(/[^\x20-\x7e]/g, '?')

export function build(r: Recipe, ids: Identities): WireCase {
  let method: string
  let path: string
  let body: Buffer | undefined
  const headers: Record<string, string> = {}
  if (r.shape === 'soap') {
    const call = soapCalls(ids)[r.template]!
    const params = editParams(call.params, r.params)
    const text = envelope(r.version, { ...call, params }).replace(/<(\w+)>\u0000NIL<\/\1>/g, '<$1 xsi:nil="true" />')
    method = 'POST'
    path = call.path
    body = Buffer.from(text)
    Object.assign(headers, soapHeaders(r.version, call))
  } else if (r.shape === 'json') {
    const call = jsonCalls(ids)[r.template]!
    method = call.method
    path = call.path
    headers['x-api-key'] = call.apiKey
    if (call.body !== undefined) {
      const value = editParams(Object.fromEntries(Object.entries(call.body as object).map(([k, v]) => [k, String(v)])), r.params)
      const typed = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, k === 'userId' && /^-?\d+$/.test(String(v)) ? Number(v) : v === '\u0000NIL' ? null : v]),
      )
      body = Buffer.from(JSON.stringify(typed))
      headers['content-type'] = 'application/json'
    }
  } else {
    const call = formCalls(ids)[r.template]!
    const params = editParams(call.params, r.params) as Record<string, string>
    const query = Object.entries(params)
      .map(([k, v]) => `${pct(k)}=${pct(typeof v === 'string' ? v.replace('\u0000NIL', '') : '')}`)
      .join('&')
    method = r.shape === 'get' ? 'GET' : 'POST'
    path = r.shape === 'get' ? `${call.path}?${visible(editText(Buffer.from(query), r.text).toString('latin1'))}` : call.path
    if (r.shape === 'post') {
      body = Buffer.from(query)
      headers['content-type'] = 'application/x-www-form-urlencoded'
    }
  }
  if (body && r.shape !== 'get') body = editText(body, r.text)
  const h = r.headers
  if (h.contentType !== undefined) headers['content-type'] = h.contentType
  if (h.soapAction !== undefined) headers.soapaction = headerSafe(h.soapAction)
  if (h.method !== undefined) method = h.method
  if (h.path !== undefined) path = h.path
  if (h.extra) headers[h.extra[0]] = 'v'.repeat(h.extra[1])
  if (r.oversize) body = Buffer.concat([body ?? Buffer.alloc(0), Buffer.alloc(1_500_000, 'x')])
  // undici refuses bodies on GET/HEAD and framing headers it sets itself; such cases go over a raw socket.
  const raw =
    r.truncateBody !== undefined || ((method === 'GET' || method === 'HEAD') && body !== undefined) || 'transfer-encoding' in headers || 'expect' in headers
  return {
    method,
    path: visible(path),
    headers,
    ...(body ? { body } : {}),
    ...(raw ? { truncateBody: body ? (r.truncateBody ?? body.length) % (body.length + 1) : 0 } : {}),
  }
}

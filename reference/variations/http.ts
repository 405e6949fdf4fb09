/**
 * Variations of the HTTP framing and headers of every API answer: chunked bodies, closed connections,
 * extra headers, a BOM, and other spellings of the charset parameter.
 */
import { mediaType } from '../asmx/content-type.ts'
import type { Variation } from './types.ts'
import { contentTypeOf, httpAnswers, isXmlAnswer } from './wraps.ts'

const CHARSET = /;\s*charset=("?)utf-8\1/i

export const HTTP_VARIATIONS: readonly Variation[] = [
  {
    name: 'http-chunked',
    api: '*',
    description: 'Every API answer is sent with Transfer-Encoding: chunked (two chunks) and no Content-Length.',
    source: 'RFC 9112 §6.1 and §7.1: chunked transfer coding frames an HTTP/1.1 body as well as Content-Length does',
    wraps: { http: [httpAnswers((answer) => ({ ...answer, chunked: true }))] },
  },
  {
    name: 'http-connection-close',
    api: '*',
    description: 'Every API answer says Connection: close and the server closes the connection after it.',
    source: 'RFC 9112 §9.6: a server may close the connection after any answer, announcing it with Connection: close',
    wraps: { http: [httpAnswers((answer) => ({ ...answer, headers: { ...answer.headers, Connection: 'close' } }))] },
  },
  {
    name: 'http-extra-headers',
    api: '*',
    description: 'Every API answer carries the headers IIS and ASP.NET add: Server, X-AspNet-Version, X-Powered-By, X-Request-Id.',
    source: 'RFC 9110 §5.1: a recipient ignores header fields it does not recognise; api-facts §5.6 (headers of a live ASMX service)',
    wraps: {
      http: [
        httpAnswers((answer) => ({
          ...answer,
          headers: {
            ...answer.headers,
            Server: 'Microsoft-IIS/10.0',
            'X-AspNet-Version': '4.0.30319',
            'X-Powered-By': 'ASP.NET',
            'X-Request-Id': 'c0ffee00-0000-4000-8000-000000000001',
          },
        })),
      ],
    },
  },
  {
    name: 'http-reason-phrase',
    api: '*',
    description: 'Every API answer has its own reason phrase in the status line (HTTP/1.1 200 Done, 500 Fault).',
    source: 'RFC 9112 §4: the reason-phrase is informational, a client should ignore it',
    wraps: { http: [httpAnswers((answer) => ({ ...answer, reason: answer.status < 400 ? 'Done' : 'Fault' }))] },
  },
  {
    name: 'xml-utf8-bom',
    api: '*',
    description: 'XML answers (SOAP, GET/POST, WSDL) begin with the UTF-8 byte order mark EF BB BF. JSON answers do not (RFC 8259 §8.1 forbids it).',
    source: 'XML 1.0 §4.3.3 and Appendix F: an entity in UTF-8 may begin with the byte order mark; RFC 7303 §4.2',
    wraps: {
      http: [httpAnswers((answer) => (isXmlAnswer(answer) && typeof answer.body === 'string' ? { ...answer, body: `\uFEFF${answer.body}` } : answer))],
    },
  },
  {
    name: 'charset-upper-case',
    api: '*',
    description: 'XML and JSON answers say charset=UTF-8 (text/xml; charset=UTF-8, application/json; charset=UTF-8).',
    source: 'RFC 9110 §8.3.2: charset names are case-insensitive',
    wraps: { http: [contentTypeOf((type) => type.replace(CHARSET, '; charset=UTF-8'))] },
  },
  {
    name: 'charset-omitted',
    api: '*',
    description: 'XML and JSON answers carry no charset parameter (text/xml, application/soap+xml, application/json).',
    source:
      "RFC 7303 §3.2 and §8 (XML media types: without charset the document's own encoding rules apply, UTF-8 here); RFC 3902 §1 (application/soap+xml likewise); RFC 8259 §11 (application/json defines no charset parameter)",
    wraps: { http: [contentTypeOf((type) => mediaType(type))] },
  },
  {
    name: 'charset-quoted-no-space',
    api: '*',
    description: 'XML and JSON answers spell the parameter quoted and without white space (text/xml;charset="utf-8").',
    source: 'RFC 9110 §5.6.6: white space around ";" is optional, and a quoted-string value equals the same token',
    wraps: { http: [contentTypeOf((type) => type.replace(CHARSET, ';charset="utf-8"'))] },
  },
]

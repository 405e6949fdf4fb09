/**
 * ECGrid REST variations: members the pages do not list, other wordings around the documented error codes,
 * other spellings of JSON and instants, 415 for a wrong Content-Type, refusing fields the endpoint does not
 * update, another validation order.
 */
import type { Around } from '../asmx/pipeline.ts'
import type { ErContext } from '../ecgrid-rest/context.ts'
import { WRONG_CONTENT_TYPE } from '../ecgrid-rest/messages.ts'
import { readContactChange, readUserId } from '../ecgrid-rest/put-user.ts'
import type { EcUser } from '../ecgrid/users.ts'
import type { RestWrap } from '../rest/pipeline.ts'
import { restError, type RestError, type RestHandler, type RestRequest } from '../rest/types.ts'
import type { Variation } from './types.ts'
import { jsonAnswers } from './wraps.ts'

type ErWrap = RestWrap<ErContext, EcUser>

export const onPut = (around: Around<RestHandler<ErContext, EcUser>>): ErWrap => ({ layer: 'operation', operations: ['PutUser'], around })

export const withErContext =
  (replace: (ctx: ErContext, request: RestRequest) => Partial<ErContext>): Around<RestHandler<ErContext, EcUser>> =>
  (next) =>
  (ctx, request) =>
    next({ ...ctx, ...replace(ctx, request) }, request)

const REST_MESSAGES: Readonly<Record<string, string>> = {
  InvalidAPIKey: 'API key missing or not recognised.',
  AccessDenied: 'Your AuthLevel does not allow updating this user.',
  ObjectNotFound: 'No user with this userId.',
  InvalidParameter: 'One or more parameters are not valid.',
  InternalError: 'Something went wrong on our side.',
}

const UPDATED_FIELDS = new Set(['userId', 'email', 'firstName', 'lastName'])

/** The body's error, or the body itself: `check` runs on a body that was read. */
const readBodyChecked = (check: (body: Readonly<Record<string, unknown>>, ctx: ErContext) => RestError | undefined): ErWrap =>
  onPut(
    withErContext((ctx) => ({
      readBody: (request) => {
        const read = ctx.readBody(request)
        return read.ok ? (check(read.value, ctx) ?? read) : read
      },
    })),
  )

/** Successful answers' envelopes carry these members too. */
const successCarries = (members: Readonly<Record<string, unknown>>): ErWrap => ({
  layer: 'envelope',
  around: (next) => (result) => {
    const answer = next(result)
    return result.ok ? { ...answer, body: { ...answer.body, ...members } } : answer
  },
})

const instantWithOffset = (instant: string): string => `${instant.slice(0, 19)}.000+00:00`

export const ECGRID_REST_VARIATIONS: readonly Variation[] = [
  {
    name: 'er-extra-fields',
    api: 'ecgrid-rest',
    description: 'data carries fields the page does not list: company, phone, timeZoneOffset, lockoutStatus, lastLogin, openSessions, modified.',
    source: 'api-facts §2 (the MCP page of the same API shows this richer user); DESIGN "Where the truth comes from": answer schemas stay open',
    wraps: {
      'ecgrid-rest': [
        {
          layer: 'present',
          around: (next) => (user) => ({
            ...(next(user) as Record<string, unknown>),
            company: '',
            phone: '',
            timeZoneOffset: 0,
            lockoutStatus: false,
            lastLogin: null,
            openSessions: 0,
            modified: user.created,
          }),
        },
      ],
    },
  },
  {
    name: 'er-success-error-fields-empty',
    api: 'ecgrid-rest',
    description: 'Successful answers carry "errorCode": "" and "message": "".',
    source: 'api-facts §2: the envelope is {success, data, errorCode, message}; some page examples include "errorCode": "" on success',
    wraps: { 'ecgrid-rest': [successCarries({ errorCode: '', message: '' })] },
  },
  {
    name: 'er-success-error-fields-null',
    api: 'ecgrid-rest',
    description: 'Successful answers carry "errorCode": null and "message": null.',
    source: 'api-facts §2: some page examples include "errorCode": null on success',
    wraps: { 'ecgrid-rest': [successCarries({ errorCode: null, message: null })] },
  },
  {
    name: 'er-envelope-extra-fields',
    api: 'ecgrid-rest',
    description: 'Every envelope carries members the pages do not list: "traceId" and "timestamp".',
    source:
      'DESIGN "Where the truth comes from": answer schemas require what the pages document and stay open to what they do not mention (api-facts §2 lists success, data, errorCode, message)',
    wraps: {
      'ecgrid-rest': [
        {
          layer: 'envelope',
          around: (next) => (result) => {
            const answer = next(result)
            return {
              ...answer,
              body: { ...answer.body, traceId: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', timestamp: '2024-01-15T09:30:00Z' },
            }
          },
        },
      ],
    },
  },
  {
    name: 'er-www-authenticate',
    api: 'ecgrid-rest',
    description: '401 answers carry WWW-Authenticate: ApiKey header="X-API-Key".',
    source: 'RFC 9110 §15.5.2: a 401 answer sends a WWW-Authenticate challenge; the ECGrid pages name no scheme',
    wraps: {
      'ecgrid-rest': [
        {
          layer: 'json-answer',
          around: (next) => (answer) => {
            const written = next(answer)
            return answer.status === 401 ? { ...written, headers: { ...written.headers, 'WWW-Authenticate': 'ApiKey header="X-API-Key"' } } : written
          },
        },
      ],
    },
  },
  {
    name: 'er-message-wording',
    api: 'ecgrid-rest',
    description: 'Error answers word their message differently ("API key missing or not recognised."); status and errorCode are unchanged.',
    source: 'api-facts §2: the error codes and statuses are documented, the validation messages are not ("Check the message field for details")',
    wraps: {
      'ecgrid-rest': [
        {
          layer: 'envelope',
          around: (next) => (result) => next(result.ok ? result : { ...result, message: REST_MESSAGES[result.errorCode] ?? result.message }),
        },
      ],
    },
  },
  {
    name: 'er-created-offset',
    api: 'ecgrid-rest',
    description: 'data.created is written with milliseconds and a +00:00 offset (2024-03-15T10:22:00.000+00:00); the same UTC instant.',
    source: 'RFC 3339 §5.6 and ISO 8601: "+00:00" is UTC, fractional seconds are allowed; DESIGN: instants compared by value',
    wraps: {
      'ecgrid-rest': [
        { layer: 'present', around: (next) => (user) => ({ ...(next(user) as Record<string, unknown>), created: instantWithOffset(user.created) }) },
      ],
    },
  },
  {
    name: 'er-json-key-order',
    api: 'ecgrid-rest',
    description: 'JSON members come in the reverse order at every level ({"data":{…,"userId":5001},"success":true}).',
    source: 'RFC 8259 §4: an object is an unordered collection of members',
    wraps: { 'ecgrid-rest': [jsonAnswers({ order: (keys) => [...keys].reverse() })] },
  },
  {
    name: 'er-json-whitespace',
    api: 'ecgrid-rest',
    description: 'JSON answers are indented by a tab with CRLF line ends and a space after each colon.',
    source: 'RFC 8259 §2: white space (space, tab, CR, LF) is allowed before or after any structural character',
    wraps: { 'ecgrid-rest': [jsonAnswers({ indent: { unit: '\t', newline: '\r\n' } })] },
  },
  {
    name: 'er-json-unicode-escapes',
    api: 'ecgrid-rest',
    description: 'Every character of every JSON string (member names too) is written as a \\u escape ("\\u0073\\u0075…").',
    source: 'RFC 8259 §7: any character may be escaped as \\uXXXX',
    wraps: { 'ecgrid-rest': [jsonAnswers({ escapeAll: true })] },
  },
  {
    name: 'er-number-exponents',
    api: 'ecgrid-rest',
    description: 'JSON numbers are written in exponent form (5001 as 5.001e+3).',
    source: 'RFC 8259 §6: a number may have a fraction and an exponent; 5.001e+3 is the integer 5001',
    wraps: { 'ecgrid-rest': [jsonAnswers({ number: (n) => n.toExponential() })] },
  },
  {
    name: 'er-wrong-content-type-415',
    api: 'ecgrid-rest',
    description: 'A PUT whose Content-Type is not application/json answers 415 (errorCode InvalidParameter) instead of 400.',
    source: 'DESIGN D2: a wrong Content-Type is 400 or 415 (both allowed); RFC 9110 §15.5.16',
    wraps: {
      'ecgrid-rest': [
        onPut(
          withErContext((ctx) => ({
            readBody: (request) => {
              const read = ctx.readBody(request)
              return read === WRONG_CONTENT_TYPE ? restError(415, 'InvalidParameter', 'Unsupported media type: send application/json') : read
            },
          })),
        ),
      ],
    },
  },
  {
    name: 'er-refuses-unupdatable-fields',
    api: 'ecgrid-rest',
    description:
      'A PUT body with fields the endpoint does not update (login, authLevel, status, networkId, …, or unknown ones) is refused: 400 InvalidParameter, nothing changes.',
    source:
      'DESIGN D2: fields the endpoint does not update are never applied: ignored, or refused with 400; api-facts §2 (whether unknown fields are refused is not documented)',
    wraps: {
      'ecgrid-rest': [
        readBodyChecked((body) => {
          const extra = Object.keys(body).filter((key) => !UPDATED_FIELDS.has(key))
          return extra.length === 0 ? undefined : restError(400, 'InvalidParameter', `These fields cannot be updated here: ${extra.join(', ')}`)
        }),
      ],
    },
  },
  {
    name: 'er-validation-order',
    api: 'ecgrid-rest',
    description:
      'PUT validates the whole body (userId, field types, email) right after the API key, before it looks the user up and checks authority (a bad email for an unknown user is 400, not 404).',
    source: 'DESIGN D2 and the Update User page name the answers, not the order of the checks (api-facts §2)',
    wraps: {
      'ecgrid-rest': [
        readBodyChecked((body, ctx) => {
          const userId = readUserId(body)
          if (!userId.ok) return userId
          const change = readContactChange(body, ctx.emailRule)
          return change.ok ? undefined : change
        }),
      ],
    },
  },
]

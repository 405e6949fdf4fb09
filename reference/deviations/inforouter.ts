/** The infoRouter deviations. Each one wraps a stage of the faithful service; handlers never test for them. */
import type { AsmxWrap, Around } from '../asmx/pipeline.ts'
import type { OperationHandler } from '../asmx/types.ts'
import { unescapedDeep } from '../asmx/xml.ts'
import type { IrContext } from '../inforouter/context.ts'
import { ACCESS_DENIED, USER_NOT_FOUND } from '../inforouter/messages.ts'
import { errorOf, isSuccess, responseFail, withError } from '../inforouter/responses.ts'
import type { SessionService, TicketCheck } from '../inforouter/sessions.ts'
import type { Deviation } from './types.ts'

export type InfoRouterDeviation = Deviation<AsmxWrap<IrContext>>

type Handler = OperationHandler<IrContext>

const TICKET_OPERATIONS = ['GetUser', 'UpdateUserEmail', 'UpdateUserContactInfo'] as const

const onOperations = (operations: readonly string[], around: Around<Handler>): AsmxWrap<IrContext> => ({
  layer: 'operation',
  operations,
  around,
})

/** Hands the faithful handler a session service whose ticket classification is remapped. */
const reclassifyTickets =
  (remap: (check: TicketCheck) => TicketCheck): Around<Handler> =>
  (next) =>
  (ctx, params) => {
    const sessions: SessionService = { ...ctx.sessions, verify: (raw) => remap(ctx.sessions.verify(raw)) }
    return next({ ...ctx, sessions }, params)
  }

/** Hands the faithful handler UpdateUserContactInfo's two values after `f`. */
const mapContactValues =
  (f: (value: string | null, name: 'emailAddress' | 'mobileNumber') => string | null): Around<Handler> =>
  (next) =>
  (ctx, params) =>
    next(ctx, {
      ...params,
      emailAddress: f(params.emailAddress ?? null, 'emailAddress'),
      mobileNumber: f(params.mobileNumber ?? null, 'mobileNumber'),
    })

export const INFOROUTER_DEVIATIONS: readonly InfoRouterDeviation[] = [
  {
    name: 'ie-noop-fails',
    api: 'inforouter',
    breaks: ['IE-4'],
    description: 'UpdateUserEmail with the current address answers success="false" error="Email address is unchanged".',
    wraps: [
      onOperations(['UpdateUserEmail'], (next) => (ctx, params) => {
        const before = ctx.users.findByName(params.UserName ?? '')
        const answer = next(ctx, params)
        const unchanged = before !== undefined && params.NewEmailAddress === before.email
        return isSuccess(answer) && unchanged ? responseFail('Email address is unchanged') : answer
      }),
    ],
  },
  {
    name: 'ie-member-updates-anyone',
    api: 'inforouter',
    breaks: ['IE-5'],
    description: 'UpdateUserEmail skips the permission check: any caller may change anyone\'s email.',
    wraps: [onOperations(['UpdateUserEmail'], (next) => (ctx, params) => next({ ...ctx, access: { mayUpdate: () => true } }, params))],
  },
  {
    name: 'ie-unknown-user-access-denied',
    api: 'inforouter',
    breaks: ['IE-8'],
    description: 'UpdateUserEmail answers "Access denied" instead of "User not found" for an unknown user.',
    wraps: [
      onOperations(['UpdateUserEmail'], (next) => (ctx, params) => {
        const answer = next(ctx, params)
        return errorOf(answer) === USER_NOT_FOUND ? withError(answer, ACCESS_DENIED) : answer
      }),
    ],
  },
  {
    name: 'ie-clears-mobile',
    api: 'inforouter',
    breaks: ['IE-9'],
    description: 'A successful UpdateUserEmail also clears the user\'s mobile number.',
    wraps: [
      onOperations(['UpdateUserEmail'], (next) => (ctx, params) => {
        const answer = next(ctx, params)
        const target = isSuccess(answer) ? ctx.users.findByName(params.UserName ?? '') : undefined
        if (target) ctx.users.setContact(target.id, { mobileNumber: '' })
        return answer
      }),
    ],
  },
  {
    name: 'ir-logout-keeps-ticket',
    api: 'inforouter',
    breaks: ['IE-7', 'IC-6'],
    description: 'LogOut answers success but the ticket stays valid.',
    wraps: [onOperations(['LogOut'], (next) => (ctx, params) => next({ ...ctx, sessions: { ...ctx.sessions, end: () => {} } }, params))],
  },
  {
    name: 'ir-unknown-ticket-900',
    api: 'inforouter',
    breaks: ['IE-7', 'IC-6'],
    description: 'A well-formed ticket that is unknown, expired or logged out answers [900] Authentication failed instead of [901].',
    wraps: [
      onOperations(
        [...TICKET_OPERATIONS, 'LogOut'],
        reclassifyTickets((check) => (check.kind === 'invalid' ? { kind: 'malformed' } : check)),
      ),
    ],
  },
  {
    name: 'ir-malformed-ticket-901',
    api: 'inforouter',
    breaks: ['IE-6', 'IC-6'],
    description:
      'A missing, empty or non-GUID ticket answers [901] Session expired or Invalid ticket instead of [900] (GetUser, UpdateUserEmail, UpdateUserContactInfo).',
    wraps: [
      onOperations(
        TICKET_OPERATIONS,
        reclassifyTickets((check) => (check.kind === 'malformed' ? { kind: 'invalid' } : check)),
      ),
    ],
  },
  {
    name: 'ic-empty-preserves',
    api: 'inforouter',
    breaks: ['IC-3'],
    description: 'UpdateUserContactInfo treats "" like nil: the field keeps its value instead of being cleared.',
    wraps: [onOperations(['UpdateUserContactInfo'], mapContactValues((v) => (v === '' ? null : v)))],
  },
  {
    name: 'ic-nil-clears',
    api: 'inforouter',
    breaks: ['IC-4'],
    description: 'UpdateUserContactInfo treats SOAP nil or a left-out element as "": the field is cleared.',
    wraps: [onOperations(['UpdateUserContactInfo'], mapContactValues((v) => v ?? ''))],
  },
  {
    name: 'ic-missing-param-defaults',
    api: 'inforouter',
    breaks: ['IC-5'],
    description: 'Over GET/POST, a parameter of UpdateUserContactInfo left out reads as "" instead of "Missing parameter: X." (so it clears that field).',
    wraps: [
      {
        layer: 'form-params',
        operations: ['UpdateUserContactInfo'],
        around: (next) => (op, values) => next(op, { get: (name) => values.get(name) ?? '' }),
      },
    ],
  },
  {
    name: 'ic-not-atomic',
    api: 'inforouter',
    breaks: ['IC-7'],
    description: 'UpdateUserContactInfo writes the email before the permission check, so a refused call (Access denied) still changes it.',
    wraps: [
      onOperations(['UpdateUserContactInfo'], (next) => (ctx, params) => {
        const check = ctx.sessions.verify(params.authenticationTicket ?? null)
        const target = ctx.users.findByName(params.userName ?? '')
        const email = params.emailAddress ?? null
        if (check.kind === 'valid' && target && email !== null) ctx.users.setContact(target.id, { email })
        return next(ctx, params)
      }),
    ],
  },
  {
    name: 'ic-plus-becomes-space',
    api: 'inforouter',
    breaks: ['IC-9', 'IC-10'],
    description: 'Over GET/POST, parameter values are URL-decoded twice, so an encoded plus (%2B) ends as a space.',
    wraps: [{ layer: 'form-value-decoder', around: (next) => (encoded) => next(next(encoded)) }],
  },
  {
    name: 'ic-normalises-mobile',
    api: 'inforouter',
    breaks: ['IC-10'],
    description: 'UpdateUserContactInfo strips spaces, dashes and parentheses from the mobile number.',
    wraps: [
      onOperations(
        ['UpdateUserContactInfo'],
        mapContactValues((v, name) => (name === 'mobileNumber' && v !== null ? v.replace(/[ \-()]/g, '') : v)),
      ),
    ],
  },
  {
    name: 'ir-unescaped-xml',
    api: 'inforouter',
    breaks: ['IE-11', 'X-1'],
    description: 'GetUser writes attribute values without XML escaping.',
    wraps: [onOperations(['GetUser'], (next) => (ctx, params) => unescapedDeep(next(ctx, params)))],
  },
  {
    name: 'ir-soap12-as-soap11',
    api: 'inforouter',
    breaks: ['X-1'],
    description: 'SOAP 1.2 requests are answered in a SOAP 1.1 envelope with Content-Type text/xml.',
    wraps: [{ layer: 'soap-answer', around: (next) => (_version, message) => next('1.1', message) }],
  },
  {
    name: 'ir-wrong-content-type',
    api: 'inforouter',
    breaks: ['X-1'],
    description: 'GET/POST answers are sent as text/html; charset=utf-8.',
    wraps: [{ layer: 'http-xml-answer', around: (next) => (element) => ({ ...next(element), contentType: 'text/html; charset=utf-8' }) }],
  },
]

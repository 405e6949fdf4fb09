/** The infoRouter deviations. Each one wraps a stage of the faithful service; handlers never test for them. */
import type { AsmxWrap, Around } from '../asmx/pipeline.ts'
import { WebMethodError } from '../asmx/fault.ts'
import type { Binding, OperationHandler } from '../asmx/types.ts'
import { attrOf, unescapedDeep, withAttr, type XmlElement } from '../asmx/xml.ts'
import type { IrContext } from '../inforouter/context.ts'
import { ACCESS_DENIED, USER_NOT_FOUND } from '../inforouter/messages.ts'
import { errorOf, isSuccess, responseFail, withError } from '../inforouter/responses.ts'
import type { SessionService, TicketCheck } from '../inforouter/sessions.ts'
import type { UserRepository } from '../inforouter/users.ts'
import { headerWrites, withHeader } from './header-echo.ts'
import type { Deviation } from './types.ts'

export type InfoRouterDeviation = Deviation<AsmxWrap<IrContext>>

type Handler = OperationHandler<IrContext>

const TICKET_OPERATIONS = ['GetUser', 'UpdateUserEmail', 'UpdateUserContactInfo'] as const

const onOperations = (operations: readonly string[], around: Around<Handler>): AsmxWrap<IrContext> => ({
  layer: 'operation',
  operations,
  around,
})

/**
 * `around` on the given bindings only; calls over the other bindings reach `next` untouched. For breaks that a
 * real service shows on one protocol only (SOAP's case-sensitive element names, GET's raw query string).
 */
const onBindings =
  (bindings: readonly Binding[], around: Around<Handler>): Around<Handler> =>
  (next) => {
    const wrapped = around(next)
    return (ctx, params) => (bindings.includes(ctx.binding) ? wrapped : next)(ctx, params)
  }

/** The id of the live ticket's user, or undefined (verifying also slides the ticket, as any call does). */
const callerId = (ctx: IrContext, rawTicket: string | null): number | undefined => {
  const check = ctx.sessions.verify(rawTicket)
  return check.kind === 'valid' ? check.userId : undefined
}

/** The same answer with `f` applied to its <User> child (GetUser); other answers unchanged. */
const mapUserElement = (answer: XmlElement, f: (user: XmlElement) => XmlElement): XmlElement => ({
  ...answer,
  children: answer.children.map((child) => (child.name === 'User' ? f(child) : child)),
})

/** What an ASP.NET debug build shows for an exception: its type, message and stack, with the source paths. */
const debugTrace = (message: string): string =>
  [
    `System.InvalidOperationException: ${message}`,
    '   at InfoRouter.Services.Srv.Invoke(String methodName, NameValueCollection parameters) in C:\\inetpub\\wwwroot\\inforouter\\App_Code\\Srv.cs:line 214',
    '   at System.Web.Services.Protocols.LogicalMethodInfo.Invoke(Object target, Object[] values)',
  ].join('\r\n')

/** Hands the faithful handler a session service whose ticket classification is remapped. */
const reclassifyTickets =
  (remap: (check: TicketCheck) => TicketCheck): Around<Handler> =>
  (next) =>
  (ctx, params) => {
    const sessions: SessionService = { ...ctx.sessions, verify: (raw) => remap(ctx.sessions.verify(raw)) }
    return next({ ...ctx, sessions }, params)
  }

/** The latest ticket AuthenticateUser handed each user name, per service instance (its session service). */
const latestTickets = new WeakMap<SessionService, Map<string, string>>()

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
    description: "UpdateUserEmail skips the permission check: any caller may change anyone's email.",
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
    description: "A successful UpdateUserEmail also clears the user's mobile number.",
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
    name: 'ie-soap-address-param-case',
    api: 'inforouter',
    // Nothing else separates the IE-1 check (updates-own-email) from the other successful updates: the
    // sysadmin's change of another user's email (admin-updates-anyone, IE-5) and the special-character address
    // (xml-special-characters, IE-11) are dropped over SOAP in the same way, and GetUser never shows the new
    // address after a success answer (IE-2).
    breaks: ['IE-1', 'IE-2', 'IE-5', 'IE-11'],
    description:
      'UpdateUserEmail declares its address parameter as newEmailAddress: over SOAP (case-sensitive) the documented NewEmailAddress element is ignored and the call answers success without changing anything.',
    wraps: [
      onOperations(
        ['UpdateUserEmail'],
        onBindings(['soap11', 'soap12'], (next) => (ctx, params) => next(ctx, { ...params, NewEmailAddress: null })),
      ),
    ],
  },
  {
    name: 'ie-self-change-pending',
    api: 'inforouter',
    // A pending change stores nothing, so every check that reads back a user's change of their own address
    // fails: the decoded GET address (url-encoded-address, IE-10) and the special characters
    // (xml-special-characters, IE-11) are never stored either. A sysadmin's change still applies.
    breaks: ['IE-2', 'IE-10', 'IE-11'],
    description: "A change of the caller's own email waits for an e-mail confirmation: UpdateUserEmail answers success but GetUser keeps the old address.",
    wraps: [
      onOperations(['UpdateUserEmail'], (next) => (ctx, params) => {
        const self = callerId(ctx, params.authenticationTicket ?? null)
        const users: UserRepository = {
          ...ctx.users,
          // held for a confirmation that never comes
          setContact: (id, change) => (id === self ? undefined : ctx.users.setContact(id, change)),
        }
        return next({ ...ctx, users }, params)
      }),
    ],
  },
  {
    name: 'ie-failures-as-exceptions',
    api: 'inforouter',
    breaks: ['IE-3'],
    description:
      'UpdateUserEmail throws its Access denied and User not found failures: HTTP 500 text/plain over GET/POST, a soap:Server fault over SOAP, instead of <response success="false">.',
    wraps: [
      onOperations(['UpdateUserEmail'], (next) => (ctx, params) => {
        const answer = next(ctx, params)
        const error = errorOf(answer)
        if (error === ACCESS_DENIED || error === USER_NOT_FOUND) throw new WebMethodError(error)
        return answer
      }),
    ],
  },
  {
    name: 'ie-get-address-not-decoded',
    api: 'inforouter',
    // Every address carries an @, which a client percent-encodes (%40) in a query, so every GET update stores a
    // wrong address: the user's own (updates-own-email: GetUser does not show the new Email, IE-2), the
    // sysadmin's (admin-updates-anyone, IE-5), the current address (same-email-is-noop: no longer a no-op, IE-4)
    // and the special characters (xml-special-characters, IE-11).
    breaks: ['IE-10', 'IE-2', 'IE-4', 'IE-5', 'IE-11'],
    description: 'Over HTTP GET, UpdateUserEmail stores NewEmailAddress as it stands in the query string, still percent-encoded (john.doe%40example.com).',
    wraps: [
      onOperations(
        ['UpdateUserEmail'],
        onBindings(['http-get'], (next) => (ctx, params) => {
          const decoded = params.NewEmailAddress ?? null
          // the raw query text of a standard client (encodeURIComponent), which is what the suite sends
          return next(ctx, { ...params, NewEmailAddress: decoded === null ? null : encodeURIComponent(decoded) })
        }),
      ),
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
    wraps: [
      onOperations(
        ['UpdateUserContactInfo'],
        mapContactValues((v) => (v === '' ? null : v)),
      ),
    ],
  },
  {
    name: 'ic-nil-clears',
    api: 'inforouter',
    breaks: ['IC-4'],
    description: 'UpdateUserContactInfo treats SOAP nil or a left-out element as "": the field is cleared.',
    wraps: [
      onOperations(
        ['UpdateUserContactInfo'],
        mapContactValues((v) => v ?? ''),
      ),
    ],
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
    // Test addresses carry a + (valid atext): over GET/POST every check that sends one sees it changed too.
    breaks: ['IC-9', 'IC-10', 'IE-1', 'IE-2', 'IE-4', 'IE-5', 'IE-9', 'IC-1', 'IC-2', 'IC-6', 'IC-8'],
    description: 'Over GET/POST, parameter values are URL-decoded twice, so an encoded plus (%2B) ends as a space.',
    wraps: [{ layer: 'form-value-decoder', around: (next) => (encoded, charset) => next(next(encoded, charset), charset) }],
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
    name: 'ic-saves-only-email',
    api: 'inforouter',
    breaks: ['IC-1'],
    description:
      'UpdateUserContactInfo saves one field per call (if the email changes, else the mobile number): when both change, the new mobile number is dropped.',
    wraps: [
      onOperations(['UpdateUserContactInfo'], (next) => (ctx, params) => {
        const target = ctx.users.findByName(params.userName ?? '')
        const email = params.emailAddress ?? null
        const emailChanges = target !== undefined && email !== null && email !== target.email
        return next(ctx, emailChanges ? { ...params, mobileNumber: null } : params)
      }),
    ],
  },
  {
    name: 'ic-unchanged-fails',
    api: 'inforouter',
    breaks: ['IC-2'],
    description: 'UpdateUserContactInfo with both values equal to the current ones answers success="false" error="Nothing to update".',
    wraps: [
      onOperations(['UpdateUserContactInfo'], (next) => (ctx, params) => {
        const before = ctx.users.findByName(params.userName ?? '')
        const answer = next(ctx, params)
        const email = params.emailAddress ?? null
        const mobile = params.mobileNumber ?? null
        const unchanged = before !== undefined && (email === null || email === before.email) && (mobile === null || mobile === before.mobileNumber)
        return isSuccess(answer) && unchanged ? responseFail('Nothing to update') : answer
      }),
    ],
  },
  {
    name: 'ic-http-user-without-mobile',
    api: 'inforouter',
    // GetUser is the only way to see a mobile number, so over GET/POST every check that expects one after an
    // update fails with it: both fields in one call (IC-1), the encoded + (IC-9), the number as given (IC-10).
    // The store itself is right: GetUser over SOAP shows the number.
    breaks: ['IC-8', 'IC-1', 'IC-9', 'IC-10'],
    description: 'GetUser answers over GET/POST write MobileNumber="" (their answer writer predates the field); SOAP answers show it.',
    wraps: [
      {
        layer: 'http-xml-answer',
        around: (next) => (element) => next(mapUserElement(element, (user) => withAttr(user, 'MobileNumber', ''))),
      },
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
  {
    name: 'ir-stack-trace-in-comment',
    api: 'inforouter',
    breaks: ['X-2'],
    description: "Failure answers over GET/POST end with an XML comment holding the exception's type, stack trace and source path (a debug build).",
    wraps: [
      {
        layer: 'http-xml-answer',
        around: (next) => (element) => {
          const answer = next(element)
          const error = errorOf(element)
          return error === undefined ? answer : { ...answer, body: `${answer.body}\n<!-- ${debugTrace(error)} -->` }
        },
      },
    ],
  },
  {
    name: 'ir-login-cookie-password',
    api: 'inforouter',
    breaks: ['X-3'],
    description:
      'AuthenticateUser remembers the login in a cookie: Set-Cookie: irLogin=<user name>:<password>, percent-encoded (a "remember me" written in clear).',
    wraps: [
      onOperations(['AuthenticateUser'], (next) => (ctx, params) => {
        const answer = next(ctx, params)
        const login = `${params.UID ?? ''}:${params.PWD ?? ''}`
        return isSuccess(answer) ? withHeader(answer, 'Set-Cookie', `irLogin=${encodeURIComponent(login)}; Path=/; HttpOnly`) : answer
      }),
      ...headerWrites<IrContext>(),
    ],
  },
  {
    name: 'ir-session-cookie-of-user',
    api: 'inforouter',
    breaks: ['X-3'],
    description:
      "Answers about a user (GetUser, UpdateUserEmail, UpdateUserContactInfo) set Set-Cookie: irSession=<the latest ticket that user logged in with>: a caller reading another user gets that user's session.",
    wraps: [
      onOperations(['AuthenticateUser'], (next) => (ctx, params) => {
        const answer = next(ctx, params)
        const ticket = attrOf(answer, 'ticket')
        if (isSuccess(answer) && ticket) {
          const map = latestTickets.get(ctx.sessions) ?? new Map<string, string>()
          latestTickets.set(ctx.sessions, map.set((params.UID ?? '').toLowerCase(), ticket))
        }
        return answer
      }),
      onOperations(TICKET_OPERATIONS, (next) => (ctx, params) => {
        const answer = next(ctx, params)
        const name = (params.UserName ?? params.userName ?? '').toLowerCase()
        const ticket = latestTickets.get(ctx.sessions)?.get(name)
        return ticket ? withHeader(answer, 'Set-Cookie', `irSession=${ticket}; Path=/`) : answer
      }),
      ...headerWrites<IrContext>(),
    ],
  },
  {
    name: 'ir-tickets-never-expire',
    api: 'inforouter',
    breaks: ['IE-7', 'IC-6'],
    description: 'Tickets never expire: a ticket unused for more than 30 days is still accepted (the sliding expiry is not checked).',
    wraps: [
      onOperations(
        [...TICKET_OPERATIONS, 'LogOut'],
        (next) => (ctx, params) => next({ ...ctx, sessions: { ...ctx.sessions, verify: (raw) => ctx.sessions.verify(raw, { ignoreExpiry: true }) } }, params),
      ),
    ],
  },
  {
    name: 'ir-expired-ticket-900',
    api: 'inforouter',
    breaks: ['IE-7', 'IC-6'],
    description:
      'An expired ticket answers [900] Authentication failed instead of [901] Session expired or Invalid ticket (unknown and logged-out tickets answer [901]).',
    wraps: [
      onOperations(
        [...TICKET_OPERATIONS, 'LogOut'],
        reclassifyTickets((check) => (check.kind === 'invalid' && check.reason === 'expired' ? { kind: 'malformed' } : check)),
      ),
    ],
  },
]

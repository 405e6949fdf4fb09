/**
 * Deviations found only by looking at everything a behaviour speaks of: credentials echoed in answer headers (X-3),
 * update answers that do not show the user as stored (EO-4, ER-9, LM-3), and breaks that show only when the user
 * starts with a value (a fax, a flag). Registered with their API's catalogue (index.ts).
 */
import type { Around } from '../asmx/pipeline.ts'
import type { OperationHandler, ParamValue } from '../asmx/types.ts'
import { mapChildText } from '../asmx/xml.ts'
import { isAuthLevel, isStatus } from '../ecgrid/enums.ts'
import type { EcUser } from '../ecgrid/users.ts'
import type { EoContext } from '../ecgridos/context.ts'
import { bodyObject } from '../ecgrid-rest/body.ts'
import { header } from '../rest/types.ts'
import { administrator } from '../logicmelon/credentials.ts'
import type { LmContext } from '../logicmelon/context.ts'
import { FLAG_FIELDS } from '../logicmelon/cuser.ts'
import type { LmWrap } from '../logicmelon/index.ts'
import { intOf, requestOf, submittedUser, textField, type SubmittedUser } from '../logicmelon/request.ts'
import type { UpdatePolicy } from '../logicmelon/update-policy.ts'
import type { UserChange } from '../logicmelon/users.ts'
import type { EcgridOsDeviation, EcgridRestDeviation } from './ecgrid.ts'
import { onPut, type ErWrap } from './ecgrid-rest-wraps.ts'
import { onOperations as onEoOperations } from './ecgridos-wraps.ts'
import { headerWrites, restHeaders, withHeader } from './header-echo.ts'
import type { LogicMelonDeviation } from './logicmelon.ts'

type LmHandler = OperationHandler<LmContext, ParamValue>
const onLm = (operations: readonly string[], around: Around<LmHandler>): LmWrap => ({ layer: 'operation', operations, around })

/** The faithful change, then `f(submitted, change)` over it (LogicMelon's update rules). */
const lmChange =
  (f: (submitted: SubmittedUser, change: UserChange) => UserChange): Around<LmHandler> =>
  (next) =>
  (ctx, params) => {
    const updates: UpdatePolicy = { changeFor: (submitted, stored) => f(submitted, ctx.updates.changeFor(submitted, stored)) }
    return next({ ...ctx, updates }, params)
  }

/** UserUpdate's answer with some children's text replaced by `texts(ctx, params)` (the store is right). */
const lmAnswerTexts =
  (texts: (ctx: LmContext, params: Parameters<LmHandler>[1]) => Record<string, string | undefined>): Around<LmHandler> =>
  (next) =>
  (ctx, params) => {
    const replace = texts(ctx, params)
    return Object.entries(replace).reduce((answer, [name, text]) => (text === undefined ? answer : mapChildText(answer, name, () => text)), next(ctx, params))
  }

const STALE_FIELDS = ['Fax', 'UserAddress1', 'UserAddress2', 'UserAddress3', 'UserState', 'UserCountry', 'UserPostCode'] as const

export const ECGRIDOS_ANSWER_DEVIATIONS: readonly EcgridOsDeviation[] = [
  {
    name: 'eo-login-credentials-header',
    api: 'ecgridos',
    breaks: ['X-3'],
    description: 'Login answers carry a debug header X-ECGrid-Login: base64 of <UserName>:<Password> (as HTTP Basic credentials).',
    wraps: [
      onEoOperations(
        ['Login'],
        (next) => (ctx, params) =>
          withHeader(next(ctx, params), 'X-ECGrid-Login', Buffer.from(`${params.UserName ?? ''}:${params.Password ?? ''}`, 'utf8').toString('base64')),
      ),
      ...headerWrites<EoContext>(),
    ],
  },
  {
    name: 'eo-answer-caller-placement',
    api: 'ecgridos',
    breaks: ['EO-4'],
    description:
      "UserUpdate's answer shows the caller's NetworkID and MailboxID instead of the updated user's (the store is right: UserInfo shows the user's own).",
    wraps: [
      onEoOperations(['UserUpdate'], (next) => (ctx, params) => {
        const answer = next(ctx, params)
        const check = ctx.sessions.verify(params.SessionID ?? null)
        const caller = check.kind === 'valid' ? ctx.users.findById(check.userId) : undefined
        if (!caller) return answer
        return mapChildText(
          mapChildText(answer, 'NetworkID', () => String(caller.networkId)),
          'MailboxID',
          () => String(caller.mailboxId),
        )
      }),
    ],
  },
]

/** The body's values as sent, where they fit the user's shape (a well-typed string, enum member or number). */
function asSent(body: Record<string, unknown>): Partial<EcUser> {
  const out: Record<string, unknown> = {}
  for (const key of ['login', 'firstName', 'lastName', 'email', 'created'] as const) if (typeof body[key] === 'string') out[key] = body[key]
  for (const key of ['networkId', 'mailboxId'] as const) if (typeof body[key] === 'number' && Number.isSafeInteger(body[key])) out[key] = body[key]
  if (isAuthLevel(body.authLevel)) out.authLevel = body.authLevel
  if (isStatus(body.status)) out.status = body.status
  return out as Partial<EcUser>
}

export const ECGRID_REST_ANSWER_DEVIATIONS: readonly EcgridRestDeviation[] = [
  {
    name: 'er-api-key-echoed',
    api: 'ecgrid-rest',
    breaks: ['X-3'],
    description: "Every answer echoes the request's X-API-Key in an X-API-Key response header.",
    wraps: restHeaders(['PutUser', 'GetUser'], (request): Record<string, string> => {
      const key = header(request, 'x-api-key')
      return key === undefined ? {} : { 'X-API-Key': key }
    }) as ErWrap[],
  },
  {
    name: 'er-answer-echoes-body',
    api: 'ecgrid-rest',
    breaks: ['ER-9'],
    description:
      "PUT /v2/users answers data with the body's fields as sent over the stored user, also those it did not apply (login, authLevel, status…): the store is right, the answer is not.",
    wraps: [
      onPut((next) => (ctx, request) => {
        const result = next(ctx, request)
        return result.ok ? { ...result, data: { ...result.data, ...asSent(bodyObject(request) ?? {}) } } : result
      }),
    ],
  },
]

export const LOGICMELON_ANSWER_DEVIATIONS: readonly LogicMelonDeviation[] = [
  {
    name: 'lm-credentials-cookie',
    api: 'logicmelon',
    breaks: ['X-3'],
    description: 'Every answer sets Set-Cookie: lmauth=<sUsername>:<sPassword>, percent-encoded (a session cookie made of the credentials).',
    wraps: [
      onLm(['UserList', 'UserUpdate', 'UserAdd', 'UserDelete'], (next) => (ctx, params) => {
        const answer = next(ctx, params)
        const request = requestOf(params)
        return withHeader(
          answer,
          'Set-Cookie',
          `lmauth=${encodeURIComponent(`${textField(request, 'sUsername') ?? ''}:${textField(request, 'sPassword') ?? ''}`)}; Path=/`,
        )
      }),
      ...headerWrites<LmContext, ParamValue>(),
    ],
  },
  {
    name: 'lm-answer-stale-address',
    api: 'logicmelon',
    breaks: ['LM-3'],
    description:
      "UserUpdate's answer shows Fax and the address block (UserAddress1..3, UserState, UserCountry, UserPostCode) as they were before the update; the store and UserList are right.",
    wraps: [
      onLm(
        ['UserUpdate'],
        lmAnswerTexts((ctx, params) => {
          const before = ctx.users.findById(intOf(submittedUser(requestOf(params)).UserID) ?? -1)
          return before ? Object.fromEntries(STALE_FIELDS.map((f) => [f, before[f]])) : {}
        }),
      ),
    ],
  },
  {
    name: 'lm-answer-echoes-request',
    api: 'logicmelon',
    breaks: ['LM-3'],
    description: "UserUpdate's answer echoes the submitted UserIdentifier and Username, which it does not apply (the store keeps the user's own).",
    wraps: [
      onLm(
        ['UserUpdate'],
        lmAnswerTexts((_ctx, params) => {
          const submitted = submittedUser(requestOf(params))
          return { UserIdentifier: submitted.UserIdentifier ?? undefined, Username: submitted.Username ?? undefined }
        }),
      ),
    ],
  },
  {
    name: 'lm-answer-caller-identifier',
    api: 'logicmelon',
    breaks: ['LM-3'],
    description: "UserUpdate's answer shows the caller's UserIdentifier instead of the updated user's (the store is right).",
    wraps: [
      onLm(
        ['UserUpdate'],
        lmAnswerTexts((ctx, params) => ({ UserIdentifier: administrator(ctx, requestOf(params)).UserIdentifier })),
      ),
    ],
  },
  {
    name: 'lm-empty-keeps-fax',
    api: 'logicmelon',
    breaks: ['LM-3'],
    description: 'An empty <Fax/> leaves the fax number as it was instead of clearing it (other fields clear).',
    wraps: [
      onLm(
        ['UserUpdate'],
        lmChange((submitted, change) => {
          if (submitted.Fax !== '') return change
          const { Fax: _kept, ...rest } = change
          return rest
        }),
      ),
    ],
  },
  {
    name: 'lm-nil-clears-secondary-address',
    api: 'logicmelon',
    breaks: ['LM-5'],
    description: 'UserAddress2 and UserAddress3 sent as xsi:nil are cleared to "" (other nil fields are left unchanged).',
    wraps: [
      onLm(
        ['UserUpdate'],
        lmChange((submitted, change) => ({
          ...change,
          ...(submitted.UserAddress2 === null ? { UserAddress2: '' } : {}),
          ...(submitted.UserAddress3 === null ? { UserAddress3: '' } : {}),
        })),
      ),
    ],
  },
  {
    name: 'lm-left-out-flags-reset',
    api: 'logicmelon',
    breaks: ['LM-5'],
    description: 'The BBD…/Daily… flags left out of <User> are reset to false (a bool defaults to false when the element is missing).',
    wraps: [
      onLm(
        ['UserUpdate'],
        lmChange((submitted, change) => ({ ...change, ...Object.fromEntries(FLAG_FIELDS.filter((f) => !(f in submitted)).map((f) => [f, false])) })),
      ),
    ],
  },
  {
    name: 'lm-nil-flag-false',
    api: 'logicmelon',
    breaks: ['LM-5'],
    description: 'A BBD…/Daily… flag sent as xsi:nil is stored as false instead of being left unchanged.',
    wraps: [
      onLm(
        ['UserUpdate'],
        lmChange((submitted, change) => ({ ...change, ...Object.fromEntries(FLAG_FIELDS.filter((f) => submitted[f] === null).map((f) => [f, false])) })),
      ),
    ],
  },
]

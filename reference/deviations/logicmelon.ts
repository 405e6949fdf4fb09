/**
 * The LogicMelon deviations. Each wraps a stage of the faithful service (an operation handler with a
 * replaced collaborator or a rewritten answer, the SOAP writer, the WSDL writer); handlers never test for them.
 */
import type { Around } from '../asmx/pipeline.ts'
import type { OperationHandler, ParamValue, ServiceSpec } from '../asmx/types.ts'
import { withTypeField } from '../asmx/wsdl-edits.ts'
import { asciiOnly, digitsAsNumber } from '../data/normalise.ts'
import type { LmContext } from '../logicmelon/context.ts'
import { BLANK_USER, ROLE_ADMINISTRATOR, ROLE_RECRUITER, UPDATEABLE_TEXT_FIELDS, cUser, type CUserFormat, type LmUser } from '../logicmelon/cuser.ts'
import { AUTHENTICATION_FAILED, faultMessageOf } from '../logicmelon/faults.ts'
import type { LmWrap } from '../logicmelon/index.ts'
import { intOf, type SubmittedUser } from '../logicmelon/request.ts'
import type { UpdatePolicy } from '../logicmelon/update-policy.ts'
import { applyChange, type UserChange } from '../logicmelon/users.ts'
import type { Deviation } from './types.ts'

export type LogicMelonDeviation = Deviation<LmWrap>

type Handler = OperationHandler<LmContext, ParamValue>
type ChangeFor = UpdatePolicy['changeFor']

const UPDATE = ['UserUpdate']
const CUSER_ANSWERS = ['UserList', 'UserUpdate', 'UserAdd']
const ALL = [...CUSER_ANSWERS, 'UserDelete']
const ADDRESS_FIELDS = ['UserAddress1', 'UserAddress2', 'UserAddress3', 'UserState', 'UserCountry', 'UserPostCode']

/** The WSDL describes the service as `edit` makes it (the service itself is unchanged). */
const describedAs = (edit: (spec: ServiceSpec) => ServiceSpec): LmWrap => ({ layer: 'wsdl', around: (next) => (spec, origin) => next(edit(spec), origin) })

const onOperations = (operations: readonly string[], around: Around<Handler>): LmWrap => ({ layer: 'operation', operations, around })

/** Hands the handler a context with some collaborators replaced. */
const withContext =
  (replace: (ctx: LmContext) => Partial<LmContext>): Around<Handler> =>
  (next) =>
  (ctx, params) =>
    next({ ...ctx, ...replace(ctx) }, params)

/** Hands the handler update rules whose `changeFor` is `f(changeFor)`. */
const withRules = (f: (changeFor: ChangeFor, ctx: LmContext) => ChangeFor): Around<Handler> =>
  withContext((ctx) => ({ updates: { changeFor: f((submitted, stored) => ctx.updates.changeFor(submitted, stored), ctx) } }))

/** The faithful change, plus `extra(submitted, stored, change)` over it. */
const alsoChanges = (extra: (submitted: SubmittedUser, stored: LmUser, change: UserChange) => UserChange): Around<Handler> =>
  withRules((changeFor) => (submitted, stored) => {
    const change = changeFor(submitted, stored)
    return { ...change, ...extra(submitted, stored, change) }
  })

/** "" for each updateable string for which `pick(submitted value)` holds (undefined: left out, null: nil). */
const clearedWhere =
  (pick: (value: string | null | undefined) => boolean) =>
  (submitted: SubmittedUser): UserChange =>
    Object.fromEntries(UPDATEABLE_TEXT_FIELDS.filter((f) => pick(submitted[f])).map((f) => [f, '']))

const withFormat = (format: Partial<CUserFormat>): Around<Handler> => withContext((ctx) => ({ format: { ...ctx.format, ...format } }))

const withoutChildren =
  (names: readonly string[]): Around<Handler> =>
  (next) =>
  (ctx, params) => {
    const answer = next(ctx, params)
    return { ...answer, children: answer.children.filter((c) => !names.includes(c.name)) }
  }

/** `Authentication failed.` is answered as an empty CUser in `<resultName>` instead. */
const emptyUserForBadCredentials =
  (resultName: string): Around<Handler> =>
  (next) =>
  (ctx, params) => {
    try {
      return next(ctx, params)
    } catch (error) {
      if (faultMessageOf(error) === AUTHENTICATION_FAILED) return cUser(resultName, BLANK_USER, ctx.format)
      throw error
    }
  }

/** Another existing OrganisationID moves the user (the faithful rules never see it, so never refuse). */
const movesUser = withRules((changeFor, ctx) => (submitted, stored) => {
  const { OrganisationID, ...rest } = submitted
  const change = changeFor(rest, stored)
  const to = intOf(OrganisationID)
  return to !== null && to !== stored.OrganisationID && ctx.organisations.findById(to) ? { ...change, OrganisationID: to } : change
})

/** The change's text fields among `fields`, through `f` (fields the change leaves alone stay out). */
const textsThrough = (change: UserChange, fields: ReadonlyArray<'FirstName' | 'LastName' | 'UserPostCode'>, f: (text: string) => string): UserChange =>
  Object.fromEntries(fields.flatMap((k) => (typeof change[k] === 'string' ? [[k, f(change[k])]] : [])))

/** A repository update that answers the changed user without saving it. */
const answerWithoutSaving = withContext((ctx) => ({
  users: {
    ...ctx.users,
    update: (id, change) => {
      const user = ctx.users.findById(id)
      return user && applyChange(user, change)
    },
  },
}))

/** The spec as a WSDL would describe it with each `Request` type's fields directly under the operation element. */
export function flatParams(spec: ServiceSpec): ServiceSpec {
  const requestTypes = new Set<string>()
  const operations = spec.operations.map((op) => {
    const type = spec.types?.find((t) => `tns:${t.name}` === op.paramTypes?.Request)
    if (type?.kind !== 'complex') return op
    requestTypes.add(type.name)
    return { ...op, params: type.fields.map(([name]) => name), paramTypes: Object.fromEntries(type.fields) }
  })
  return { ...spec, operations, types: (spec.types ?? []).filter((t) => !requestTypes.has(t.name)) }
}

export const LOGICMELON_DEVIATIONS: readonly LogicMelonDeviation[] = [
  {
    name: 'lm-soap12-as-soap11',
    api: 'logicmelon',
    breaks: ['LM-1', 'X-1'],
    description: 'SOAP 1.2 requests to LogicMelon are answered in a SOAP 1.1 envelope with text/xml.',
    wraps: [{ layer: 'soap-answer', around: (next) => (_version, message) => next('1.1', message) }],
  },
  {
    name: 'lm-fault-http-200',
    api: 'logicmelon',
    breaks: ['LM-1', 'X-1'],
    description: 'LogicMelon SOAP faults are sent with HTTP 200.',
    wraps: [
      {
        layer: 'soap-answer',
        around: (next) => (version, message) => {
          const answer = next(version, message)
          return message.kind === 'fault' ? { ...answer, status: 200 } : answer
        },
      },
    ],
  },
  {
    name: 'lm-answer-drops-address',
    api: 'logicmelon',
    breaks: ['LM-2'],
    description: "UserUpdate's answer leaves out UserAddress1..3, UserState, UserCountry and UserPostCode (the store and UserList are right).",
    wraps: [onOperations(UPDATE, withoutChildren(ADDRESS_FIELDS))],
  },
  {
    name: 'lm-update-not-persisted',
    api: 'logicmelon',
    breaks: ['LM-3'],
    description: 'UserUpdate answers the user as if updated but does not store the change.',
    wraps: [onOperations(UPDATE, answerWithoutSaving)],
  },
  {
    name: 'lm-round-trip-clears-password',
    api: 'logicmelon',
    breaks: ['LM-4'],
    description: 'UserUpdate with an empty <Password/> (as UserList hands it out) clears the password, so the user can no longer authenticate.',
    wraps: [
      onOperations(
        UPDATE,
        alsoChanges((submitted) => (submitted.Password === '' ? { Password: '' } : {})),
      ),
    ],
  },
  {
    name: 'lm-updates-identity',
    api: 'logicmelon',
    breaks: ['LM-5'],
    description: 'UserUpdate takes UserIdentifier and Username from the submission.',
    wraps: [
      onOperations(
        UPDATE,
        alsoChanges(({ UserIdentifier, Username }) => ({
          ...(typeof UserIdentifier === 'string' ? { UserIdentifier } : {}),
          ...(typeof Username === 'string' ? { Username } : {}),
        })),
      ),
    ],
  },
  {
    name: 'lm-role-reset',
    api: 'logicmelon',
    breaks: ['LM-5'],
    description: 'UserUpdate with a UserRoleID different from the stored one sets the stored role to 0 (neither value).',
    wraps: [
      onOperations(
        UPDATE,
        alsoChanges((submitted, stored) => {
          const role = intOf(submitted.UserRoleID)
          return role !== null && role !== stored.UserRoleID ? { UserRoleID: 0 } : {}
        }),
      ),
    ],
  },
  {
    name: 'lm-applies-role',
    api: 'logicmelon',
    breaks: ['LM-5'],
    description: 'UserUpdate takes UserRoleID from the submission: a recruiter sent UserRoleID 1 becomes an administrator (privilege escalation).',
    wraps: [
      onOperations(
        UPDATE,
        alsoChanges((submitted, stored) => {
          const role = intOf(submitted.UserRoleID)
          return role !== null && role !== stored.UserRoleID && (role === ROLE_ADMINISTRATOR || role === ROLE_RECRUITER) ? { UserRoleID: role } : {}
        }),
      ),
    ],
  },
  {
    name: 'lm-uppercases-position',
    api: 'logicmelon',
    // Upper-casing also breaks the round trip: a record submitted back unmodified comes back changed.
    breaks: ['LM-3', 'LM-4', 'LM-5'],
    description: 'UserUpdate stores Position upper-cased.',
    wraps: [
      onOperations(
        UPDATE,
        alsoChanges((_submitted, _stored, change) => (change.Position === undefined ? {} : { Position: change.Position.toUpperCase() })),
      ),
    ],
  },
  {
    name: 'lm-names-ascii-only',
    api: 'logicmelon',
    // Every check that submits a name sees it changed: the answer (LM-2), the read-back (LM-3), the round trip (LM-4, LM-5), a generated client (LM-10).
    breaks: ['LM-2', 'LM-3', 'LM-4', 'LM-5', 'LM-10'],
    description: "UserUpdate stores FirstName and LastName in an ASCII column: every other character becomes '?'.",
    wraps: [
      onOperations(
        UPDATE,
        alsoChanges((_submitted, _stored, change) => textsThrough(change, ['FirstName', 'LastName'], asciiOnly)),
      ),
    ],
  },
  {
    name: 'lm-post-code-as-number',
    api: 'logicmelon',
    breaks: ['LM-3', 'LM-4', 'LM-5'],
    description: 'UserUpdate stores a UserPostCode of digits as a number: 02134 becomes 2134.',
    wraps: [
      onOperations(
        UPDATE,
        alsoChanges((_submitted, _stored, change) => textsThrough(change, ['UserPostCode'], digitsAsNumber)),
      ),
    ],
  },
  {
    name: 'lm-omitted-clears',
    api: 'logicmelon',
    breaks: ['LM-5'],
    description: 'UserUpdate clears the updateable string fields left out of <User> to "".',
    wraps: [onOperations(UPDATE, alsoChanges(clearedWhere((value) => value === undefined)))],
  },
  {
    name: 'lm-nil-clears',
    api: 'logicmelon',
    breaks: ['LM-5'],
    description: 'UserUpdate clears the updateable string fields sent as xsi:nil to "" (left-out fields stay unchanged).',
    wraps: [onOperations(UPDATE, alsoChanges(clearedWhere((value) => value === null)))],
  },
  {
    name: 'lm-moves-user',
    api: 'logicmelon',
    breaks: ['LM-6'],
    description: 'UserUpdate with another (existing) OrganisationID moves the user instead of refusing.',
    wraps: [onOperations(UPDATE, movesUser)],
  },
  {
    name: 'lm-any-password',
    api: 'logicmelon',
    breaks: ['LM-7'],
    description: 'sPassword is not checked (the API key and username still are).',
    wraps: [
      onOperations(
        ALL,
        withContext((ctx) => ({ credentials: { ...ctx.credentials, passwordMatches: () => true } })),
      ),
    ],
  },
  {
    name: 'lm-any-api-key',
    api: 'logicmelon',
    breaks: ['LM-7'],
    description: 'sAPIKey is not checked (the username and password still are).',
    wraps: [
      onOperations(
        ALL,
        withContext((ctx) => ({ credentials: { ...ctx.credentials, apiKeyMatches: () => true } })),
      ),
    ],
  },
  {
    name: 'lm-bad-credentials-empty-user',
    api: 'logicmelon',
    breaks: ['LM-7'],
    description: 'UserUpdate and UserAdd answer a wrong credential with an empty CUser (UserID 0, strings empty, flags false), HTTP 200, instead of a fault.',
    wraps: [
      onOperations(['UserUpdate'], emptyUserForBadCredentials('UserUpdateResult')),
      onOperations(['UserAdd'], emptyUserForBadCredentials('UserAddResult')),
    ],
  },
  {
    name: 'lm-role-as-name',
    api: 'logicmelon',
    breaks: ['LM-8'],
    // UserUpdate's answer only: UserList stays right, so the round trip (which reads with UserList) is not disturbed.
    description: 'UserUpdate answers carry UserRoleID as Administrator/Recruiter.',
    wraps: [
      onOperations(UPDATE, withFormat({ roleId: (id) => (id === ROLE_ADMINISTRATOR ? 'Administrator' : id === ROLE_RECRUITER ? 'Recruiter' : String(id)) })),
    ],
  },
  {
    name: 'lm-flags-capitalised',
    api: 'logicmelon',
    breaks: ['LM-8'],
    description: 'UserUpdate answers write the seven flags as True/False (.NET ToString()); UserList stays right.',
    wraps: [onOperations(UPDATE, withFormat({ flag: (value) => (value ? 'True' : 'False') }))],
  },
  {
    name: 'lm-password-echoed',
    api: 'logicmelon',
    breaks: ['LM-9', 'X-3'],
    description: 'CUser answers carry the stored password in <Password>.',
    wraps: [onOperations(CUSER_ANSWERS, withFormat({ password: (stored) => stored }))],
  },
  {
    name: 'lm-wsdl-flat-params',
    api: 'logicmelon',
    breaks: ['LM-10'],
    description: 'The WSDL describes each operation with flat parameters (sCultureID … User, no Request wrapper) while the service still expects the wrapper.',
    wraps: [{ layer: 'wsdl', around: (next) => (spec, origin) => next(flatParams(spec), origin) }],
  },
  {
    name: 'lm-wsdl-cuser-user-id-as-string',
    api: 'logicmelon',
    breaks: ['LM-10'],
    description: "The WSDL's CUser types UserID as xs:string instead of xs:int (in requests and answers alike).",
    wraps: [describedAs((spec) => withTypeField(spec, 'CUser', 'UserID', 's:string'))],
  },
  {
    name: 'lm-wsdl-cuser-lacks-fax',
    api: 'logicmelon',
    breaks: ['LM-10'],
    description: "The WSDL's CUser declares no Fax member (the service still reads and answers it).",
    wraps: [describedAs((spec) => withTypeField(spec, 'CUser', 'Fax'))],
  },
  {
    name: 'lm-wsdl-list-lacks-start-organisation',
    api: 'logicmelon',
    breaks: ['LM-10'],
    description: "The WSDL's UserList request declares no sStartOrganisation member.",
    wraps: [describedAs((spec) => withTypeField(spec, 'UserListRequest', 'sStartOrganisation'))],
  },
]

/** The wrappers ECGrid REST deviations are made of. Each hands the faithful stage a replaced collaborator or rewrites its result. */
import type { Around } from '../asmx/pipeline.ts'
import { isAuthLevel, isStatus } from '../ecgrid/enums.ts'
import { applyChange, type EcUser, type EcUserRepository, type UserChange } from '../ecgrid/users.ts'
import { bodyObject, type JsonObject } from '../ecgrid-rest/body.ts'
import type { ErContext } from '../ecgrid-rest/context.ts'
import { int32 } from '../ecgrid-rest/guard.ts'
import { INTERNAL_ERROR, INVALID_EMAIL, NOT_AN_OBJECT } from '../ecgrid-rest/messages.ts'
import { CONTACT_FIELDS } from '../ecgrid-rest/put-user.ts'
import type { EnvelopeWriter, Presenter, RestWrap } from '../rest/pipeline.ts'
import { restError, type RestHandler, type RestRequest } from '../rest/types.ts'

type Handler = RestHandler<ErContext, EcUser>
export type ErWrap = RestWrap<ErContext, EcUser>

export const onPut = (around: Around<Handler>): ErWrap => ({ layer: 'operation', operations: ['PutUser'], around })

export const withContext =
  (replace: (ctx: ErContext, request: RestRequest) => Partial<ErContext>): Around<Handler> =>
  (next) =>
  (ctx, request) =>
    next({ ...ctx, ...replace(ctx, request) }, request)

type Update = EcUserRepository['update']

/** Hands the handler a repository whose `update` is `f(update, body)` (body: the request's JSON object, {} if none). */
export const withUpdate = (f: (update: Update, body: JsonObject, ctx: ErContext) => Update): Around<Handler> =>
  withContext((ctx, request) => ({ users: { ...ctx.users, update: f(ctx.users.update, bodyObject(request) ?? {}, ctx) } }))

/** Every update also sets (underneath the asked change) `extra(body)`. */
export const underneath = (extra: (body: JsonObject) => UserChange): Around<Handler> =>
  withUpdate((update, body) => (id, change) => update(id, { ...extra(body), ...change }))

/** Every update also sets (over the asked change) `extra(body)`. */
export const over = (extra: (body: JsonObject) => UserChange): Around<Handler> =>
  withUpdate((update, body) => (id, change) => update(id, { ...change, ...extra(body) }))

/** "" for each contact field of the body for which `pick(value, present)` holds. */
export const clearedWhere =
  (pick: (value: unknown, present: boolean) => boolean) =>
  (body: JsonObject): UserChange =>
    Object.fromEntries(CONTACT_FIELDS.filter((f) => pick(body[f], f in body)).map((f) => [f, '']))

/** The fields the endpoint must never apply, taken from the body when well-typed. */
export function massAssigned(body: JsonObject): UserChange {
  const { login, authLevel, status } = body
  const networkId = int32(body.networkId)
  const mailboxId = int32(body.mailboxId)
  return {
    ...(typeof login === 'string' && login !== '' ? { login } : {}),
    ...(isAuthLevel(authLevel) ? { authLevel } : {}),
    ...(isStatus(status) ? { status } : {}),
    ...(networkId === undefined ? {} : { networkId }),
    ...(mailboxId === undefined ? {} : { mailboxId }),
  }
}

/** The names of a body, as a change (well-typed strings only). */
export function namesOf(body: JsonObject): UserChange {
  const { firstName, lastName } = body
  return { ...(typeof firstName === 'string' ? { firstName } : {}), ...(typeof lastName === 'string' ? { lastName } : {}) }
}

/** The user a PUT body names, as it is before the call. */
export function putTarget(ctx: ErContext, request: RestRequest): EcUser | undefined {
  const userId = int32(bodyObject(request)?.userId)
  return userId === undefined ? undefined : ctx.users.findById(userId)
}

/** A caller with Root authority that no key belongs to. */
export const ANONYMOUS_ROOT: EcUser = {
  id: 0,
  login: '',
  password: '',
  firstName: '',
  lastName: '',
  email: '',
  networkId: 0,
  mailboxId: 0,
  authLevel: 'Root',
  status: 'Active',
  created: '1970-01-01T00:00:00Z',
  apiKey: '',
}

/** Answers the user as it was before a successful PUT. */
export const staleAnswer: Around<Handler> = (next) => (ctx, request) => {
  const before = putTarget(ctx, request)
  const result = next(ctx, request)
  return result.ok && before !== undefined ? { ...result, data: before } : result
}

export const unknownUserAs400: Around<Handler> = (next) => (ctx, request) => {
  const result = next(ctx, request)
  return !result.ok && result.errorCode === 'ObjectNotFound' ? restError(400, 'InvalidParameter', 'Invalid userId') : result
}

/** After a 400 for the email, saves the body's names anyway (as if they had been written first). */
export const namesBeforeEmailCheck: Around<Handler> = (next) => (ctx, request) => {
  const result = next(ctx, request)
  const target = putTarget(ctx, request)
  if (result === INVALID_EMAIL && target !== undefined) ctx.users.update(target.id, namesOf(bodyObject(request) ?? {}))
  return result
}

/** A repository update that answers the changed user without saving it. */
export const answerWithoutSaving = withUpdate((_update, _body, ctx) => (id, change) => {
  const user = ctx.users.findById(id)
  return user && applyChange(user, change)
})

export const emptyNamesIgnored = withUpdate(
  (update) => (id, change) =>
    update(id, {
      ...change,
      firstName: change.firstName === '' ? undefined : change.firstName,
      lastName: change.lastName === '' ? undefined : change.lastName,
    }),
)

/** The callers of keys of the `from` AuthLevels as if of AuthLevel `to` (an admin's key loses its rights). */
export const callersDemoted = (from: ReadonlyArray<EcUser['authLevel']>, to: EcUser['authLevel']): Around<Handler> =>
  withContext((ctx) => ({
    keys: {
      callerOf: (key) => {
        const caller = ctx.keys.callerOf(key)
        return caller && from.includes(caller.authLevel) ? { ...caller, authLevel: to } : caller
      },
    },
  }))

export const missingKeyIsRoot = withContext((ctx) => ({
  keys: { callerOf: (key) => (key === undefined ? ANONYMOUS_ROOT : ctx.keys.callerOf(key)) },
}))

/** A wrong Content-Type or malformed JSON reads as an internal error (a body that is not an object stays 400). */
export const badJsonAs500 = withContext((ctx) => ({
  readBody: (request) => {
    const read = ctx.readBody(request)
    return read.ok || read === NOT_AN_OBJECT ? read : INTERNAL_ERROR
  },
}))

export const withoutErrorCode: Around<EnvelopeWriter> = (next) => (result) => {
  const answer = next(result)
  if (result.ok) return answer
  const body = Object.fromEntries(Object.entries(answer.body).filter(([key]) => key !== 'errorCode'))
  return { ...answer, body }
}

/** The presented user with some fields replaced. */
export const presentedWith =
  (fields: (user: EcUser) => Record<string, unknown>): Around<Presenter<EcUser>> =>
  (next) =>
  (user) => ({ ...(next(user) as Record<string, unknown>), ...fields(user) })

/** The wrappers ECGridOS deviations are made of. Each hands the faithful stage a replaced collaborator or rewrites its answer. */
import type { AsmxWrap, Around } from '../asmx/pipeline.ts'
import type { SoapWriter } from '../asmx/soap-writer.ts'
import type { OperationHandler, Params, ServiceSpec } from '../asmx/types.ts'
import { el, mapChildText, type XmlElement } from '../asmx/xml.ts'
import { applyChange, type EcUser, type EcUserRepository, type UserChange } from '../ecgrid/users.ts'
import type { EoContext } from '../ecgridos/context.ts'
import { errorCodeOf, ecgridosFault } from '../ecgridos/faults.ts'
import { intParam } from '../ecgridos/guard.ts'
import { userIdInfo, type UserInfoFormat } from '../ecgridos/user-info.ts'

type Handler = OperationHandler<EoContext>
export type EoWrap = AsmxWrap<EoContext>

export const onOperations = (operations: readonly string[], around: Around<Handler>): EoWrap => ({ layer: 'operation', operations, around })

/** Hands the handler a context with one collaborator replaced. */
export const withContext =
  (replace: (ctx: EoContext) => Partial<EoContext>): Around<Handler> =>
  (next) =>
  (ctx, params) =>
    next({ ...ctx, ...replace(ctx) }, params)

/** Hands the handler a repository whose `update` is `f(update)`. */
export const withUpdate = (f: (update: EcUserRepository['update'], ctx: EoContext) => EcUserRepository['update']): Around<Handler> =>
  withContext((ctx) => ({ users: { ...ctx.users, update: f(ctx.users.update, ctx) } }))

/** Every update also sets these fields. */
export const alsoSets = (extra: (ctx: EoContext) => UserChange): Around<Handler> =>
  withUpdate((update, ctx) => (id, change) => update(id, { ...change, ...extra(ctx) }))

export const withFormat = (format: Partial<UserInfoFormat>): Around<Handler> => withContext((ctx) => ({ format: { ...ctx.format, ...format } }))

/** A repository update that answers the changed user without saving it. */
export const answerWithoutSaving = withUpdate((_update, ctx) => (id, change) => {
  const user = ctx.users.findById(id)
  return user && applyChange(user, change)
})

/** The target user as it is before the call (undefined when unknown). */
export const targetBefore = (ctx: EoContext, params: Params): EcUser | undefined => ctx.users.findById(intParam(params.UserID))

/** Runs the handler; when it succeeds, answers `f(answer, before)` instead. */
export const afterSuccess =
  (f: (answer: XmlElement, before: EcUser, ctx: EoContext, params: Params) => XmlElement): Around<Handler> =>
  (next) =>
  (ctx, params) => {
    const before = targetBefore(ctx, params)
    const answer = next(ctx, params)
    return before === undefined ? answer : f(answer, before, ctx, params)
  }

export const staleAnswer = afterSuccess((_answer, before, ctx) => userIdInfo('UserUpdateResult', before, ctx.format))

export const callerAsUserId = afterSuccess((answer, _before, ctx, params) => {
  const check = ctx.sessions.verify(params.SessionID ?? null)
  return check.kind === 'valid' ? mapChildText(answer, 'UserID', () => String(check.userId)) : answer
})

export const sameValuesFault = afterSuccess((answer, before, _ctx, params) => {
  const same = params.FirstName === before.firstName && params.LastName === before.lastName && params.Email === before.email
  if (same) throw ecgridosFault('InvalidParameter', 'Nothing to update')
  return answer
})

export const emptyAnswerForUnknownUser: Around<Handler> = (next) => (ctx, params) => {
  try {
    return next(ctx, params)
  } catch (error) {
    if (errorCodeOf(error) === 'ObjectNotFound') return el('UserUpdateResult')
    throw error
  }
}

const pad = (n: number): string => String(n).padStart(2, '0')

/**
 * The instant as a server at UTC+offset writes its local clock, unzoned: `2024-01-15T11:30:00` for
 * `2024-01-15T09:30:00Z` at +120. Still a valid xs:dateTime; read as UTC, it names another instant.
 */
export const localUnzoned =
  (offsetMinutes: number) =>
  (instant: string): string =>
    new Date(Date.parse(instant) + offsetMinutes * 60_000).toISOString().slice(0, 19)

/** `15/01/2024 09:30` (dd/MM/yyyy HH:mm) from `2024-01-15T09:30:00Z`. */
export function dayMonthYear(instant: string): string {
  const d = new Date(instant)
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

/** The spec as the WSDL would describe it without one parameter of one operation. */
export function withoutParam(spec: ServiceSpec, operation: string, param: string): ServiceSpec {
  return {
    ...spec,
    operations: spec.operations.map((op) => (op.name === operation ? { ...op, params: op.params.filter((p) => p !== param) } : op)),
  }
}

/** Faults the service raised (they carry a detail) are sent with HTTP 200; framework faults keep theirs. */
export const serviceFaultsAs200: Around<SoapWriter> = (next) => (version, message) => {
  const answer = next(version, message)
  return message.kind === 'fault' && (message.fault.detail ?? []).length > 0 ? { ...answer, status: 200 } : answer
}

import type { BindingName } from '../bindings/types.ts'
import { ConformError } from '../errors.ts'
import type { Token } from './authenticate.ts'
import type { CaseRun } from './case-run.ts'
import type { CallResult } from './client.ts'
import { answerDifferences, answerUserState } from './compare-states.ts'
import { show, type UserState } from './expectations.ts'
import type { Case } from './plan.ts'
import { restoreParams } from './user-state.ts'
import { sameValue, userFieldTypes } from './value-types.ts'

/** Steps of a check that talk to the target around its pure checks (compare-states.ts, preconditions.ts). */

/**
 * `given.users.X.set`: writes the values with the API's restore call (every other field as in the snapshot) and reads
 * the user back; that state is what the check starts from. A value that does not hold is a `[PRECONDITION]` error:
 * the check could not set up what makes it able to fail.
 */
export async function establish(run: CaseRun, binding: BindingName, alias: string, values: Record<string, unknown>, snapshot: UserState, readerToken: Token): Promise<UserState> {
  const api = run.api
  const user = run.users[alias]!
  await run.call(binding, { operation: api.restore.call.operation, params: restoreParams(api, user, { ...snapshot, ...values }) }, readerToken)
  const now = await run.readBack(binding, user, readerToken)
  const types = userFieldTypes(api)
  const wrong = Object.entries(values).filter(([f, v]) => !sameValue(types(f), now[f], v))
  if (wrong.length) {
    throw new ConformError('PRECONDITION', 'setup', `[PRECONDITION] could not give ${alias} the starting values the check needs with ${api.restore.call.operation}: ${wrong.map(([f, v]) => `${f} reads ${show(now[f])}, not ${show(v)}`).join('; ')}`)
  }
  return now
}

/**
 * An update whose answer carries the user (api.yaml `answer.user`): every field of the answer must be what the
 * read-back that follows shows (`after`, when the check read the user already). A difference is `[ANSWER_STALE]`,
 * attributed to the behaviours `answer.user` names.
 */
export async function verifyAnswerUser(run: CaseRun, c: Case, result: CallResult, alias: string, after: UserState | undefined, readerToken: Token): Promise<void> {
  const api = run.api
  const described = api.operations[result.operation]?.answer.user
  if (!described || result.outcome.kind !== 'answer') return
  const answered = answerUserState(api.user.fields, described, result.outcome.value)
  if (!answered) return
  const stored = after ?? await run.readBack(c.binding, run.users[alias]!, readerToken)
  const diffs = answerDifferences(answered, stored, userFieldTypes(api))
  if (diffs.length) {
    run.fail('behaviour', described.behaviours, `[ANSWER_STALE] the ${result.operation} answer over ${c.binding} does not show ${alias} as stored (the ${api.readBack.call.operation} that follows): ${diffs.join('; ')}`)
  }
}

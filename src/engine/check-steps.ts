import type { BindingName } from '../bindings/types.ts'
import { ConformError } from '../errors.ts'
import type { Token } from './authenticate.ts'
import type { CheckExecution } from './check-execution.ts'
import type { CallResult } from './client.ts'
import { answerDifferences, answerUserState } from './compare-states.ts'
import { show, type UserState } from './expectations.ts'
import type { Check } from './plan.ts'
import { restoreParams } from './user-state.ts'
import { sameValue, userFieldTypes } from './value-types.ts'

/** Steps of a check that talk to the target around its pure checks (compare-states.ts, preconditions.ts). */

/** A failure already attributed to its behaviours: the check stops, and the failure is reported as it is. */
export class AttributedFailure extends ConformError {
  readonly behaviours: string[]
  constructor(code: string, category: ConformError['category'], message: string, behaviours: string[]) {
    super(code, category, message)
    this.behaviours = behaviours
  }
}

/**
 * `given.users.X.set`: writes the values with the API's restore call (every other field as in the snapshot) and reads
 * the user back; that state, as the target stored it (it may normalise a value), is what the check starts from. Whether
 * it makes the check able to fail is the preconditions' verdict (preconditions.ts). A value the write did not store at
 * all (the field reads as in the snapshot) stops the check: `[PRECONDITION]`, against the behaviours api.yaml's
 * `restore.behaviours` names (an update that does not persist), else the spec's.
 */
export async function establish(
  run: CheckExecution,
  binding: BindingName,
  alias: string,
  values: Record<string, unknown>,
  snapshot: UserState,
  readerToken: Token,
  covers: string[],
): Promise<UserState> {
  const api = run.api
  const user = run.users[alias]!
  await run.call(
    binding,
    { operation: api.restore.call.operation, params: restoreParams(api, user, { ...snapshot, ...values }) },
    readerToken,
    'suite',
    'establish write',
  )
  const now = await run.readBack(binding, user, readerToken)
  const types = userFieldTypes(api)
  const same = (f: string, a: unknown, b: unknown) => sameValue(types(f), a ?? '', b ?? '')
  const lost = Object.entries(values).filter(([f, v]) => !same(f, snapshot[f], v) && same(f, now[f], snapshot[f]))
  if (lost.length) {
    const what = lost.map(([f, v]) => `${f} (asked ${show(v)}, reads ${show(now[f])})`).join(', ')
    throw new AttributedFailure(
      'PRECONDITION',
      'setup',
      `[PRECONDITION] could not give ${alias} the starting values the check needs: ${api.restore.call.operation} over ${binding} did not store ${what}`,
      api.restore.behaviours ?? covers,
    )
  }
  return now
}

/**
 * An update whose answer carries the user (api.yaml `answer.user`): every field of the answer must be what the
 * read-back that follows shows (`after`, when the check read the user already). A difference is `[ANSWER_STALE]`,
 * attributed to the behaviours `answer.user` names.
 */
export async function verifyAnswerUser(
  run: CheckExecution,
  c: Check,
  result: CallResult,
  alias: string,
  after: UserState | undefined,
  readerToken: Token,
): Promise<void> {
  const api = run.api
  const described = api.operations[result.operation]?.answer.user
  if (!described || result.outcome.kind !== 'answer') return
  const answered = answerUserState(api.user.fields, described, result.outcome.value)
  if (!answered) return
  const stored = after ?? (await run.readBack(c.binding, run.users[alias]!, readerToken))
  const diffs = answerDifferences(answered, stored, userFieldTypes(api))
  if (diffs.length) {
    run.fail(
      'behaviour',
      described.behaviours,
      `[ANSWER_STALE] the ${result.operation} answer over ${c.binding} does not show ${alias} as stored (the ${api.readBack.call.operation} that follows): ${diffs.join('; ')}`,
    )
  }
}

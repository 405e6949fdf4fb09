import type { CallerToken, CheckExecution } from './check-execution.ts'
import { evaluateDeep, userState } from './user-state.ts'
import { stateDifferences, updateDifferences, type FaceState } from './compare-states.ts'
import type { UserState } from './expectations.ts'
import type { Token } from './authenticate.ts'
import type { Check } from './plan.ts'
import type { ApiDescription } from '../spec/model.ts'
import { userFieldTypes, type FieldTypes } from './value-types.ts'

/**
 * Whether an operation answers the user it changed: its answer schema is the read-back call's. An update answering
 * a boolean (ECGridOS v4.1) carries nothing to compare with the other API's answer; the states still are.
 */
export function answersUser(api: ApiDescription, operation: string): boolean {
  const schema = api.operations[operation]?.answer.schema
  return schema !== undefined && schema === api.operations[api.readBack.call.operation]?.answer.schema
}

interface Context {
  snapshots: Record<string, UserState>
  readerToken: Token | undefined
  callerToken: CallerToken
}

/**
 * A cross-API check (EO-12), after the call under test went through face A: each face reads what A wrote; the
 * user is put back; the same update goes through face B; each face reads what B wrote. Both updates must leave
 * the same state and, when both answer the user (answersUser), answer the same, field by field under each API's
 * `user.fields`.
 */
export async function checkEquivalence(a: CheckExecution, c: Check, ctx: Context): Promise<void> {
  const eq = c.spec.equivalent!
  const { api: otherApi, binding: bindingB } = c.counterpart!
  const b = a.throughApi(otherApi)
  const covers = c.spec.covers
  const aliases = Object.keys(c.spec.users)
  const callerAlias = c.spec.caller && 'user' in c.spec.caller ? c.spec.caller.user : undefined
  const [faceA, faceB] = [`${c.api.api} over ${c.binding}`, `${otherApi.api} over ${bindingB}`]
  const answerA = a.answers[c.spec.when.operation]
  if (!ctx.readerToken || !callerAlias) return
  const readerA = ctx.readerToken
  const readerB = (await a.env.reader(otherApi.api)).token
  // A field either API's schema types as a number or boolean compares by value (`+0005001` is 5001).
  const [typesA, typesB] = [userFieldTypes(c.api), userFieldTypes(otherApi)]
  const types: FieldTypes = (f) => typesA(f) ?? typesB(f)

  const readBoth = async (wroteThrough: string) => {
    const states: Record<string, [FaceState, FaceState]> = {}
    for (const alias of aliases) {
      const user = a.users[alias]!
      const viaA = { label: `${faceA}, written through ${wroteThrough}`, state: await a.readBack(c.binding, user, readerA) }
      const viaB = { label: `${faceB}, written through ${wroteThrough}`, state: await b.readBack(bindingB, user, readerB) }
      for (const d of stateDifferences(viaA, viaB, eq.fields, eq.instants, types))
        a.fail('behaviour', covers, `${alias} reads differently through the two APIs after an update through ${wroteThrough}: ${d}`)
      states[alias] = [viaA, viaB]
    }
    return states
  }

  const afterA = await a.step('read back', `${aliases.join(', ')} through both APIs`, () => readBoth(faceA))
  const putBack: Record<string, UserState> = {}
  await a.step('restore', `${aliases.join(', ')}, to replay the update through ${otherApi.api}`, async () => {
    for (const alias of aliases) {
      await a.restore(c.binding, a.users[alias]!, ctx.snapshots[alias]!, readerA)
      // What the first update changed and no update can put back stays; the comparison is of changes, not states.
      putBack[alias] = await a.readBack(c.binding, a.users[alias]!, readerA)
    }
  })
  const tokenB = await a.step('authenticate', `${callerAlias} on ${otherApi.api}`, () => b.login(bindingB, a.users[callerAlias]!))
  const resultB = await a.step('call', `${eq.when.operation} over ${bindingB} (the same update through ${otherApi.api})`, () =>
    b.call(bindingB, { operation: eq.when.operation, params: evaluateDeep(eq.when.params, a.specScope) }, tokenB),
  )
  const afterB = await a.step('read back', `${aliases.join(', ')} through both APIs`, () => readBoth(faceB))
  await a.step('compare', `${faceA} vs ${faceB}`, async () => {
    for (const alias of aliases) {
      const first = { label: `the update through ${faceA}`, before: ctx.snapshots[alias]!, after: afterA[alias]![0].state }
      const second = { label: `the update through ${faceB}`, before: putBack[alias]!, after: afterB[alias]![0].state }
      for (const d of updateDifferences(first, second, eq.fields, eq.instants, types))
        a.fail('behaviour', covers, `the two updates did not do the same to ${alias}: ${d}`)
    }
    const outcomeB = resultB.outcome
    if (outcomeB.kind !== 'answer') {
      a.fail(
        'behaviour',
        covers,
        `${eq.when.operation} through ${faceB} did not answer a user (${outcomeB.kind}) where ${c.spec.when.operation} through ${faceA} did`,
      )
      return
    }
    if (!answersUser(c.api, c.spec.when.operation) || !answersUser(otherApi, eq.when.operation)) return
    const answers: [FaceState, FaceState] = [
      { label: `${c.spec.when.operation} answer over ${c.binding}`, state: userState(c.api, answerA) },
      { label: `${eq.when.operation} answer over ${bindingB}`, state: userState(otherApi, outcomeB.value) },
    ]
    for (const d of stateDifferences(...answers, eq.fields, eq.instants, types))
      a.fail('behaviour', covers, `the two APIs answered the same update differently: ${d}`)
  })
}

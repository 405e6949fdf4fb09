import { ConformError } from '../errors.ts'
import { evaluateValue } from '../expr.ts'
import { seedFor } from '../fake.ts'
import { strongestLevel, type Catalogue } from '../catalogue.ts'
import type { Level, Spec, Then } from '../spec/model.ts'
import { isNil, isOmit, locateIn } from '../yaml/source.ts'
import type { CallResult } from './client.ts'
import { checkAnyOutcome, checkOutcome, checkState, type UserState } from './expectations.ts'
import { acquireUnlessStopped, type FixtureUser, type UserSource } from './fixtures.ts'
import type { Check } from './plan.ts'
import type { CheckResult, CheckStatus, Failure } from './result.ts'
import { isCredentials, showsAcceptance, type Token } from './authenticate.ts'
import { checkEquivalence } from './equivalence.ts'
import { placementAsked } from './placement.ts'
import { answerTypes, canonicalState, userFieldTypes } from './value-types.ts'
import { parameterHint } from './param-hints.ts'
import { differences, evaluateDeep, journalAttrs } from './user-state.ts'
import { notVerifiedReason, unrestorable, writeReach } from './restorable.ts'
import { buildParams, CheckExecution, type CallerToken, type CheckControl, type RunEnvironment } from './check-execution.ts'
import { preconditionProblems, selectedAlias } from './preconditions.ts'
import { AttributedFailure, establish, verifyAnswerUser } from './check-steps.ts'
import { endsSessions, maySayTheSessionEnded, sessionReuse } from './session-reuse.ts'
import { checkStatusOf, failureWeight } from '../report/verdict.ts'

/** The rule is src/report/verdict.ts's, against the strongest behaviour a failure speaks against. */
function failureLevel(f: Failure, catalogue: Catalogue): Level {
  return failureWeight(f.category, strongestLevel(f.behaviours, catalogue))
}

function statusOf(failures: Failure[], catalogue: Catalogue, strict: boolean): CheckStatus {
  return checkStatusOf(
    failures.map((f) => failureLevel(f, catalogue)),
    strict,
  )
}

/** Runs one check end to end. Never throws: every problem becomes part of the verdict. */
export async function executeCase(
  c: Check,
  env: RunEnvironment,
  reader: () => Promise<{ user: Record<string, unknown>; token: Token }>,
  control: CheckControl = {},
): Promise<CheckResult> {
  const started = performance.now()
  const spec: Spec = c.spec
  const run = new CheckExecution(c, env, control)
  const base = {
    id: c.id,
    spec: spec.file,
    line: locateIn(spec.file, spec.positions, []).line,
    title: spec.title,
    api: spec.api,
    operation: spec.when.operation,
    binding: c.binding,
    ...(c.counterpart ? { counterpart: { api: c.counterpart.api.api, binding: c.counterpart.binding } } : {}),
    covers: spec.covers,
    level: c.level,
    ...(spec.notes ? { notes: spec.notes } : {}),
  }
  const finish = (status: CheckStatus, extra: Partial<CheckResult> = {}): CheckResult => {
    const first = (status === 'failed' ? run.failures.find((f) => failureLevel(f, env.catalogue) === 'MUST') : undefined) ?? run.failures[0]
    return env.redactor.redactValue({
      ...base,
      status,
      category: status === 'passed' || status === 'skipped' ? null : (first?.category ?? null),
      message: status === 'passed' ? null : run.failures.map((f) => f.message).join('\n') || null,
      failures: run.failures,
      durationMs: Math.round(performance.now() - started),
      requests: run.exchanges.length,
      exchanges: run.exchanges,
      ...(run.control.length ? { control: run.control } : {}),
      steps: run.steps,
      retries: run.exchanges.reduce((n, x) => n + (x.retries?.length ?? 0), 0),
      ...extra,
    })
  }
  if (control.signal?.aborted) return finish('skipped', { message: 'the run was interrupted before this check started' })
  const sets = Object.values(spec.users).some((u) => u.set)
  if ((c.writes || sets) && !env.allowWrites) {
    return finish('skipped', { message: 'the target does not allow writes (allowWrites is not true)' })
  }
  if (c.counterpart && !env.offers(c.counterpart.api.api, c.counterpart.binding)) {
    return finish('skipped', {
      message: `the target does not offer ${c.counterpart.api.api} over ${c.counterpart.binding}, which this cross-API check also goes through`,
    })
  }
  const userSource = env.users(spec.api)
  const aliases = Object.keys(spec.users)
  if (!userSource.canProvision && aliases.some((a) => placementAsked(spec.users[a]?.with) === false)) {
    return finish('skipped', { message: 'the spec needs users with starting values, which only a provisioning target (the reference) can make' })
  }
  const callerSpec = spec.caller && 'user' in spec.caller ? spec.caller : undefined
  if (callerSpec?.session === 'expired' && !env.sessionControl?.(spec.api)) {
    return finish('skipped', {
      message: `not verified: the check needs an expired session, and the target cannot expire one on demand (only a target whose control endpoint offers it, such as the embedded reference, can)`,
    })
  }
  const unplaced = userSource.canProvision
    ? undefined
    : env.placementMissing?.(
        spec.api,
        aliases.map((a) => spec.users[a]!),
      )
  if (unplaced) return finish('skipped', { message: unplaced })
  // What the check could change that no restore puts back: only on provisioned users or disposable fixture accounts.
  const risky = userSource.canProvision ? [] : unrestorable(c, env.updateable(c.api.api))
  if (risky.length && !userSource.hasDisposable?.(aliases.map((a) => spec.users[a]!.role))) return finish('skipped', { message: notVerifiedReason(risky) })
  let acquired: FixtureUser[] = []
  const snapshots: Record<string, UserState> = {}
  /** The state the check starts from: the snapshot, with what `given.users.X.set` wrote (the snapshot is what is restored). */
  const baseline: Record<string, UserState> = {}
  const journalIds: Record<string, string> = {}
  let readerToken: Token | undefined
  /** Whether the check was stopped (its time limit, the run's stop) before it finished its calls. */
  let stopped = false
  try {
    acquired = await run.step('provision', aliases.map((a) => `${a} (${spec.users[a]!.role})`).join(', '), () =>
      acquireUnlessStopped(
        userSource,
        aliases.map((a) => ({
          role: spec.users[a]!.role,
          ...(spec.users[a]!.with ? { with: spec.users[a]!.with } : {}),
          ...(risky.length ? { risky: true } : {}),
        })),
        seedFor(env.runSeed, c.id),
        run.signal,
        () => run.checkStopped(),
        (x) => run.control.push(x),
      ),
    )
    /** Fixture users as the run last verified them (known-states.ts): their snapshot needs no read. */
    const known: Record<string, UserState> = {}
    aliases.forEach((a, i) => {
      const u = acquired[i]!
      for (const s of c.api.user.secrets) env.redactor.add(u.attrs[s])
      run.users[a] = { ...u.attrs, role: u.role }
      const state = u.account !== undefined && !u.provisioned ? env.known?.take(u.account, c.api.api) : undefined
      if (state) known[a] = state
      // What this check does may end the sessions kept for its accounts: later checks log in afresh.
      if (u.account !== undefined && endsSessions(c, risky.length > 0)) env.callerSessions?.forgetAccount(u.account)
    })
    const callerAlias = spec.caller && 'user' in spec.caller ? spec.caller.user : undefined
    let token: CallerToken
    // The caller's session from an earlier check of the same account, where nothing the check decides can come from it.
    const callerAccount = callerAlias ? acquired[aliases.indexOf(callerAlias)]?.account : undefined
    const reuse = sessionReuse(c, risky.length > 0)
    const session =
      callerAlias && callerAccount !== undefined && reuse !== 'never' ? { account: callerAccount, reuse, reused: false, unproven: false } : undefined
    const who = callerAlias ? `reader and ${callerAlias}` : 'reader'
    readerToken = await run.step(
      'authenticate',
      () => (session?.reused ? `${who} (${callerAlias}'s session kept from an earlier check)` : who),
      async () => {
        const rd = await reader()
        if (typeof rd.token === 'string') run.tokens.add(rd.token)
        if (callerAlias && session) {
          const opened = await run.session(c.binding, run.users[callerAlias]!, session.account, session.reuse)
          token = opened.token
          session.reused = opened.reused
          session.unproven = opened.reused && session.reuse === 'any'
        } else if (callerAlias) {
          token = await run.login(c.binding, run.users[callerAlias]!)
        }
        return rd.token
      },
    )
    const knownAliases = aliases.filter((a) => known[a])
    await run.step(
      'snapshot',
      `${aliases.join(', ')}${knownAliases.length ? ` (${knownAliases.join(', ')} as the run last verified, no read)` : ''}`,
      async () => {
        // The users the run holds no verified state of are read at once.
        const unknown = aliases.filter((a) => !known[a])
        const read = await run.readBacks(
          c.binding,
          unknown.map((a) => run.users[a]!),
          readerToken!,
        )
        for (const [i, a] of aliases.entries()) {
          const state = known[a] ?? read[unknown.indexOf(a)]!
          // Sent on in the plain form of its type: an answer's `05001` is user 5001 to every API (value-types.ts).
          Object.assign(run.users[a]!, canonicalState(state, userFieldTypes(c.api)))
          // Journaled before anything can change the user; a journal that cannot be written stops the check here.
          if (env.journal && env.allowWrites && !acquired[i]!.provisioned) {
            journalIds[a] = await env.journal.snapshot({
              api: c.api.api,
              user: String(run.users[a]![c.api.user.key]),
              check: c.id,
              binding: c.binding,
              attrs: journalAttrs(c.api, run.users[a]!),
              state,
            })
          }
          snapshots[a] = state
          baseline[a] = state
        }
      },
    )
    const toSet = aliases.filter((a) => spec.users[a]!.set)
    if (toSet.length) {
      await run.step('establish', toSet.join(', '), async () => {
        for (const a of toSet) {
          baseline[a] = await establish(run, c.binding, a, evaluateDeep(spec.users[a]!.set!, run.specScope), snapshots[a]!, readerToken!, spec.covers)
          Object.assign(run.users[a]!, canonicalState(baseline[a]!, userFieldTypes(c.api)))
        }
      })
    }
    for (const [name, t] of Object.entries(spec.vars)) run.vars[name] = evaluateValue(t, run.specScope)
    if (spec.caller && 'token' in spec.caller) {
      const t = evaluateDeep(spec.caller.token, run.specScope)
      token = isOmit(t) ? 'omit' : isNil(t) ? t : String(t)
    }
    if (callerSpec?.session === 'expired') {
      await run.step('expire', `${callerSpec.user}'s session`, () => env.sessionControl!(spec.api)!.expire(token as Token, (x) => run.control.push(x)))
    }
    let last: CallResult | undefined
    let whenSent: ReturnType<typeof buildParams> = []
    for (const step of [...spec.before, spec.when]) {
      if (step === spec.when) {
        // Every check can fail: the state it starts from must make what it expects observable (preconditions.ts).
        await run.step('precondition', 'the state before the call', async () => {
          whenSent = buildParams(c.api, { operation: step.operation, params: evaluateDeep(step.params, run.specScope) }, token)
          const problems = preconditionProblems({
            api: c.api,
            rawThen: spec.then,
            vars: spec.vars,
            then: { ...(spec.then.state ? { state: evaluateDeep<NonNullable<Then['state']>>(spec.then.state, run.specScope) } : {}) },
            when: step,
            before: baseline,
            selected: selectedAlias(
              c.api.operations[step.operation]?.selects ?? [],
              whenSent,
              run.users,
              c.api.operations[step.operation]?.answer.user?.key ?? c.api.user.key,
            ),
            updateable: env.updateable(c.api.api),
            types: userFieldTypes(c.api),
            locate: run.locate,
          })
          if (problems.length) throw new ConformError('PRECONDITION', 'setup', problems.join('\n'))
        })
      }
      last = await run.step('call', `${step.operation} over ${c.binding}${step === spec.when ? '' : ' (before)'}`, async () => {
        const call = { operation: step.operation, params: evaluateDeep(step.params, run.specScope) }
        const via = step === spec.when ? spec.via : 'suite'
        const failuresBefore = run.failures.length
        let r = await run.call(c.binding, call, token, via)
        if (session?.unproven) {
          // The first call with a kept session, expected to be accepted: a refusal may be the target having ended it.
          session.unproven = false
          if (!showsAcceptance(c.api, r.outcome) && maySayTheSessionEnded(r.outcome) && (await unchangedSince(run, c, baseline, readerToken!))) {
            // Nothing was applied: the same call again, with a session of its own; the refusal was not the check's.
            run.failures.splice(failuresBefore)
            token = await run.renewSession(c.binding, run.users[callerAlias!]!, session.account, session.reuse)
            r = await run.call(c.binding, call, token, via)
          }
        }
        if (session && typeof token === 'string' && showsAcceptance(c.api, r.outcome)) run.sessionAccepted(session.account, token)
        run.answers[step.operation] = r.outcome.kind === 'answer' ? r.outcome.value : r.outcome
        return r
      })
    }
    const then = evaluateDeep<Then>(spec.then, run.specScope)
    await run.step('validate', 'the answer', async () => {
      const types = answerTypes(c.api, spec.when.operation)
      const mismatches = then.any ? checkAnyOutcome(then.any, last!.outcome, run.locate, types) : checkOutcome(then, last!.outcome, run.locate, ['then'], types)
      const hint = mismatches.length
        ? parameterHint({
            api: c.api,
            operation: spec.when.operation,
            answerText: last!.answer.body,
            presentedToken: (typeof token === 'string' && token !== '') || isCredentials(token),
          })
        : undefined
      for (const [i, m] of mismatches.entries()) run.fail('behaviour', spec.covers, i === 0 && hint ? `${m}; ${hint}` : m)
    })
    const toRead = [...new Set([...(then.unchanged ?? []), ...Object.keys(then.state ?? {})])]
    const readAfter: Record<string, UserState> = {}
    if (toRead.length) {
      await run.step('read back', toRead.join(', '), async () => {
        const read = await run.readBacks(
          c.binding,
          toRead.map((a) => run.users[a]!),
          readerToken!,
        )
        for (const [i, alias] of toRead.entries()) {
          const after = read[i]!
          readAfter[alias] = after
          for (const m of checkState(alias, baseline[alias]!, after, then.state?.[alias] ?? {}, run.locate, env.updateable(c.api.api), userFieldTypes(c.api)))
            run.fail('behaviour', spec.covers, m)
        }
      })
    }
    const answerUser = c.api.operations[spec.when.operation]?.answer.user
    const about = answerUser ? selectedAlias(c.api.operations[spec.when.operation]!.selects, whenSent, run.users, answerUser.key) : undefined
    // Only where the spec allows an answer: an answer the call should not have given is the outcome check's finding.
    const answerAllowed = !then.fault && !then.httpError && (!then.any || then.any.some((o) => !o.fault && !o.httpError))
    if (answerUser && about && answerAllowed && last!.outcome.kind === 'answer' && last!.schemaErrors.length === 0) {
      await run.step('compare', `the ${spec.when.operation} answer with ${about} as stored`, () =>
        verifyAnswerUser(run, c, last!, about, readAfter[about], readerToken!),
      )
    }
    if (c.counterpart) await checkEquivalence(run, c, { snapshots, readerToken, callerToken: token })
  } catch (e) {
    const err = e instanceof ConformError ? e : new ConformError('INTERNAL', 'setup', (e as Error).message)
    stopped ||= err.code === 'INTERRUPTED'
    const x = run.exchanges.at(-1)
    const hint = x?.response ? parameterHint({ api: c.api, operation: x.operation, answerText: x.response.body, presentedToken: true }) : undefined
    run.fail(err.category, err instanceof AttributedFailure ? err.behaviours : spec.covers, hint ? `${err.message}; ${hint}` : err.message)
  } finally {
    run.signal = undefined
    await run.step('restore', aliases.join(', '), () => cleanUp(run, c, env, userSource, acquired, snapshots, journalIds, readerToken)).catch(() => undefined)
  }
  const limit = control.limit
  if (limit?.aborted && !stopped) {
    run.fail(
      'setup',
      spec.covers,
      `the check was still restoring its users when its time was up (${(limit.reason as Error | undefined)?.message ?? 'stopped'}); the restore went on to its end`,
    )
  }
  return finish(statusOf(run.failures, env.catalogue, env.strict))
}

/** Reads the check's users back: whether each is still as the check started it (its baseline). */
async function unchangedSince(run: CheckExecution, c: Check, baseline: Record<string, UserState>, readerToken: Token): Promise<boolean> {
  for (const alias of Object.keys(c.spec.users)) {
    const now = await run.readBack(c.binding, run.users[alias]!, readerToken, 'session check')
    if (differences(baseline[alias]!, now).length) return false
  }
  return true
}

/**
 * Fixture accounts are restored and verified (on targets that allow writes: elsewhere nothing was written, and a
 * restore would be a write); provisioned users are removed. The journal records each outcome; problems are loud.
 */
async function cleanUp(
  run: CheckExecution,
  c: Check,
  env: RunEnvironment,
  source: UserSource,
  acquired: FixtureUser[],
  snapshots: Record<string, UserState>,
  journalIds: Record<string, string>,
  readerToken: Token | undefined,
): Promise<void> {
  const aliases = Object.keys(c.spec.users)
  const reach = writeReach(c)
  const mayChange = reach.unknown.length ? undefined : reach.fields
  const users: Array<{ u: FixtureUser; alias: string; key: string; id: string | undefined; before: UserState; final: UserState | undefined }> = []
  for (const [i, u] of acquired.entries()) {
    if (u.provisioned || !env.allowWrites) continue
    const alias = aliases[i]!
    const before = snapshots[alias]
    if (!before || !readerToken) continue
    const key = String(u.attrs[c.api.user.key] ?? run.users[alias]?.[c.api.user.key])
    users.push({ u, alias, key, id: journalIds[alias], before, final: run.finalRead(run.users[alias]!) })
  }
  // The check's last read came after all it sent, and shows the user as the snapshot: nothing to put back, verified.
  const asLeft = (d: (typeof users)[number]) => d.final !== undefined && differences(d.before, d.final).length === 0
  const due = users.filter((d) => !asLeft(d))
  const putBack = due.length
    ? await run
        .putBack(
          c.binding,
          due.map((d) => ({ user: run.users[d.alias]!, before: d.before, mayChange, ...(d.final ? { final: d.final } : {}) })),
          readerToken!,
        )
        .catch((e: unknown) => due.map(() => ({ ok: false as const, error: e as Error })))
    : []
  for (const d of users) {
    const { u, key, id } = d
    const r = asLeft(d) ? { ok: true as const, value: { wrong: [], interfered: [], state: d.final! } } : putBack[due.indexOf(d)]!
    try {
      if (!r.ok) throw r.error
      const { wrong, interfered, state } = r.value
      if (interfered.length) {
        // Another writer on this account: its values were left as found, so this snapshot stays open (conform restore).
        run.fail(
          'setup',
          c.spec.covers,
          `INTERFERED: user ${key} ${interfered.join('; ')}; left as found, not overwritten (does another run use this account? each concurrent run needs its own accounts)${wrong.length ? `; still differs after restore: ${wrong.join(', ')}` : ''}`,
        )
        if (id) await env.journal?.restoreFailed(id, c.api.api, key, [...interfered.map((f) => `INTERFERED: ${f}`), ...wrong])
      } else if (wrong.length) {
        run.fail('setup', c.spec.covers, `RESTORE NOT VERIFIED: user ${key} still differs after restore: ${wrong.join(', ')}`)
        if (id) await env.journal?.restoreFailed(id, c.api.api, key, wrong)
      } else {
        if (id) await env.journal?.restored(id, c.api.api, key)
        if (u.account !== undefined) env.known?.verified(u.account, c.api.api, state)
      }
    } catch (e) {
      run.fail('setup', c.spec.covers, `RESTORE FAILED: user ${key}: ${(e as Error).message}`)
      if (id) await env.journal?.restoreFailed(id, c.api.api, key, [(e as Error).message]).catch(() => undefined)
    }
  }
  try {
    await source.release(acquired, (x) => run.control.push(x))
  } catch (e) {
    run.fail('setup', c.spec.covers, `could not release fixture users: ${(e as Error).message}`)
  }
}

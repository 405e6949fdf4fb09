import { describe, expect, test } from 'vitest'
import { KnownStates } from '../../src/engine/known-states.ts'
import { planChecks, type Check } from '../../src/engine/plan.ts'
import type { Outcome } from '../../src/bindings/types.ts'
import { CallerSessions, endsSessions, expectsAcceptance, maySayTheSessionEnded, sessionReuse } from '../../src/engine/session-reuse.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'
import { loadProject } from '../../src/project.ts'

const project = loadProject()
const target = {
  name: 't',
  allowWrites: true,
  limits: { concurrency: 1, timeoutMs: 1000, maxBodyBytes: 1000 },
  apis: Object.fromEntries([...project.apis.keys()].map((a) => [a, { baseUrl: 'http://x', fixtures: {} }])),
} as ResolvedTarget
const check = (id: string): Check => {
  const c = planChecks(project, target, { specs: [id] })[0]
  if (!c) throw new Error(`no check ${id}`)
  return c
}

describe('which checks may reuse a caller session', () => {
  test('checks that expect acceptance take any kept session; those that expect a refusal only a recent one', () => {
    expect(sessionReuse(check('inforouter.update-user-email.updates-own-email'), false)).toBe('any')
    expect(sessionReuse(check('ecgridos.user-update.updates-contact-details'), false)).toBe('any')
    // A refusal a dead session would answer too (an answer unlike auth.expect, a fault, an HTTP error).
    expect(sessionReuse(check('inforouter.update-user-email.member-cannot-update-others'), false)).toBe('recent')
    expect(sessionReuse(check('ecgridos.user-update.user-cannot-update-another'), false)).toBe('recent')
    expect(sessionReuse(check('ecgridos-v41.user-update.user-cannot-update-another'), false)).toBe('recent')
  })

  test('never checks about sessions, risky checks, checks without a caller who logs in; those end reuse', () => {
    for (const id of [
      'inforouter.update-user-email.expired-ticket',
      'inforouter.update-user-email.logged-out-ticket',
      'ecgridos.user-update.session-logged-out',
    ]) {
      expect(sessionReuse(check(id), false), id).toBe('never')
      expect(endsSessions(check(id), false), id).toBe(true)
    }
    expect(sessionReuse(check('inforouter.update-user-email.updates-own-email'), true)).toBe('never')
    expect(endsSessions(check('inforouter.update-user-email.updates-own-email'), true)).toBe(true)
    // A token the spec gives (no login), an API that logs in with credentials on every call.
    expect(sessionReuse(check('inforouter.update-user-email.unknown-ticket'), false)).toBe('never')
    expect(endsSessions(check('inforouter.update-user-email.unknown-ticket'), false)).toBe(false)
    const lm = planChecks(project, target, { apis: ['logicmelon'] })
    expect(lm.length).toBeGreaterThan(0)
    for (const c of lm) expect(sessionReuse(c, false), c.id).toBe('never')
  })

  test('acceptance: no fault, HTTP error or choice, and auth.expect fields left open or asked as they are', () => {
    const accepted = { success: 'true' }
    expect(expectsAcceptance({}, accepted)).toBe(true)
    expect(expectsAcceptance({ response: { success: 'true', error: '' } }, accepted)).toBe(true)
    expect(expectsAcceptance({ response: { error: '' } }, accepted)).toBe(true)
    expect(expectsAcceptance({ response: { success: 'false' } }, accepted)).toBe(false)
    expect(expectsAcceptance({ response: { success: { startsWith: 't' } } }, accepted)).toBe(false)
    expect(expectsAcceptance({ fault: {} }, {})).toBe(false)
    expect(expectsAcceptance({ httpError: { status: 500 } }, {})).toBe(false)
    expect(expectsAcceptance({ any: [{ response: {} }] }, {})).toBe(false)
    expect(expectsAcceptance({ status: 401 }, {})).toBe(false)
    expect(expectsAcceptance({ status: 200 }, {})).toBe(true)
  })
})

describe('kept sessions', () => {
  test('a recent one only while the target accepted it lately; any one otherwise; per API and account', () => {
    let now = 0
    const kept = new CallerSessions(1000, () => now)
    kept.keep('inforouter', 'acct-1', 'ticket-1')
    expect(kept.get('inforouter', 'acct-1', 'recent')).toBe('ticket-1')
    expect(kept.get('ecgridos', 'acct-1', 'any')).toBeUndefined()
    expect(kept.get('inforouter', 'acct-2', 'any')).toBeUndefined()
    now = 1001
    expect(kept.get('inforouter', 'acct-1', 'recent')).toBeUndefined()
    expect(kept.get('inforouter', 'acct-1', 'any')).toBe('ticket-1')
    // Accepted again: recent again.
    kept.keep('inforouter', 'acct-1', 'ticket-1')
    expect(kept.get('inforouter', 'acct-1', 'recent')).toBe('ticket-1')
    kept.keep('ecgridos', 'acct-1', 'session-1')
    kept.forgetAccount('acct-1')
    expect([kept.get('inforouter', 'acct-1', 'any'), kept.get('ecgridos', 'acct-1', 'any'), kept.size]).toEqual([undefined, undefined, 0])
  })
})

describe('known states', () => {
  test('taken once by the check that holds the account, through the API that verified it; put back only when verified', () => {
    const known = new KnownStates()
    known.verified('acct-1', 'ecgridos', { email: 'a@example.com' })
    expect(known.has('acct-1', 'ecgridos')).toBe(true)
    expect(known.has('acct-1', 'ecgrid-rest')).toBe(false)
    // The other API of the same backend: not its view, and the account is held now, so the entry goes.
    expect(known.take('acct-1', 'ecgrid-rest')).toBeUndefined()
    expect(known.take('acct-1', 'ecgridos')).toBeUndefined()
    known.verified('acct-1', 'ecgridos', { email: 'a@example.com' })
    const state = known.take('acct-1', 'ecgridos')!
    expect(state).toEqual({ email: 'a@example.com' })
    expect(known.take('acct-1', 'ecgridos')).toBeUndefined()
    // A copy: what the check does with its snapshot does not change what the run knows.
    known.verified('acct-1', 'ecgridos', state)
    state.email = 'changed'
    expect(known.take('acct-1', 'ecgridos')).toEqual({ email: 'a@example.com' })
  })
})

describe('maySayTheSessionEnded: only a well-formed refusal is sent again after a fresh login', () => {
  const base = { status: 200, contentType: 'text/xml', problems: [] }
  test.for([
    ['a SOAP fault', { ...base, status: 500, kind: 'fault', code: 'soap:Client', reason: 'x', detail: undefined }, true],
    ['an answer (not showing acceptance)', { ...base, kind: 'answer', value: {} }, true],
    ['HTTP 401', { ...base, status: 401, kind: 'http-error', text: '' }, true],
    ['HTTP 403', { ...base, status: 403, kind: 'http-error', text: '' }, true],
    ['an error page (HTTP 500)', { ...base, status: 500, kind: 'http-error', text: '<html>' }, false],
    ['an answer that cannot be decoded', { ...base, kind: 'undecodable', reason: 'x' }, false],
    [
      'a fault with wire problems',
      { ...base, status: 500, kind: 'fault', code: 'soap:Client', reason: 'x', detail: undefined, problems: [{ code: 'CONTENT_TYPE', message: 'x' }] },
      false,
    ],
  ] as const)('%s: %s', ([, outcome, expected]) => {
    expect(maySayTheSessionEnded(outcome as unknown as Outcome)).toBe(expected)
  })
})

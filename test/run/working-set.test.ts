import { describe, expect, test } from 'vitest'
import { accountKey } from '../../src/engine/accounts.ts'
import type { Check } from '../../src/engine/plan.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'
import { workingSet } from '../../src/run/working-set.ts'
import type { ApiDescription } from '../../src/spec/model.ts'

/**
 * A run uses, of each pool of fixture accounts, only as many as can be in use at once: the others are never logged
 * in, read, lent or logged out. Fewer would make checks wait for accounts while request slots stand idle.
 */
const accounts = (prefix: string, n: number, extra: Record<string, string> = {}) =>
  Array.from({ length: n }, (_, i) => ({ login: `${prefix}-${i + 1}`, password: `\${env:${prefix.toUpperCase()}_${i + 1}}`, ...extra }))

const apiOf = (api: string, reader: string) => ({ api, readBack: { as: reader } }) as unknown as ApiDescription
const apis = new Map([
  ['eo', apiOf('eo', 'Root')],
  ['rest', apiOf('rest', 'Root')],
  ['lm', apiOf('lm', 'Admin')],
])

const targetOf = (concurrency: number, apisOut: ResolvedTarget['apis']): ResolvedTarget => ({
  name: 'staging',
  allowWrites: true,
  limits: { concurrency, timeoutMs: 1000, maxBodyBytes: 1000 },
  apis: apisOut,
})

const checkOf = (api: string, users: Array<{ role: string; with?: Record<string, string> }>, writes = true) =>
  ({
    api: { api, operations: {}, restorable: [], user: { fields: {} } },
    writes,
    spec: { users: Object.fromEntries(users.map((u, i) => [`u${i}`, u])), before: [], when: { operation: 'Update', params: {} } },
  }) as unknown as Check

const times = (n: number, c: () => Check) => Array.from({ length: n }, c)
const logins = (t: ResolvedTarget, api: string, role: string) => (t.apis[api]!.fixtures[role] ?? []).map((a) => a.login)

describe('the working set of fixture accounts', () => {
  const roots = accounts('root', 2)
  const users = accounts('mu', 16)

  test('of each pool, as many accounts as can be in use at once: concurrency × accounts a check holds', () => {
    const t = targetOf(4, { eo: { baseUrl: 'http://x', fixtures: { Root: roots, MailboxUser: users } } })
    const one = workingSet(
      t,
      apis,
      times(10, () => checkOf('eo', [{ role: 'MailboxUser' }])),
    )
    expect(logins(one.target, 'eo', 'MailboxUser')).toEqual(['mu-1', 'mu-2', 'mu-3', 'mu-4'])
    // The reader stays; the other Root account is no check's: one is kept, so the preflight still sees the role.
    expect(logins(one.target, 'eo', 'Root')).toEqual(['root-1'])
    expect(one.untouched).toBe(12 + 1)
    const two = workingSet(
      t,
      apis,
      times(10, () => checkOf('eo', [{ role: 'MailboxUser' }, { role: 'MailboxUser' }])),
    )
    expect(logins(two.target, 'eo', 'MailboxUser')).toHaveLength(8)
  })

  test('no more than the checks can use, and --repeat counts each run', () => {
    const t = targetOf(16, { eo: { baseUrl: 'http://x', fixtures: { Root: roots, MailboxUser: users } } })
    const checks = times(3, () => checkOf('eo', [{ role: 'MailboxUser' }]))
    expect(logins(workingSet(t, apis, checks).target, 'eo', 'MailboxUser')).toHaveLength(3)
    expect(logins(workingSet(t, apis, checks, 4).target, 'eo', 'MailboxUser')).toHaveLength(12)
    // Never more than the list has.
    expect(logins(workingSet(t, apis, checks, 10).target, 'eo', 'MailboxUser')).toHaveLength(16)
  })

  test('a placed account and the disposable ones are pools of their own; ordinary checks overflow into disposable ones', () => {
    const placed = { login: 'mu-far', password: '${env:FAR}', placement: 'other-mailbox' }
    const spare = accounts('spare', 6)
    const lmReader = { login: 'lm-reader', password: '${env:LMR}' }
    const t = targetOf(4, {
      eo: { baseUrl: 'http://x', fixtures: { Root: roots, MailboxUser: [...users.slice(0, 2), placed] } },
      lm: { baseUrl: 'http://y', fixtures: { Admin: [lmReader, ...spare] }, disposable: spare.map(accountKey) },
    })
    const ws = workingSet(t, apis, [
      ...times(6, () => checkOf('eo', [{ role: 'MailboxUser' }, { role: 'MailboxUser', with: { placement: 'other-mailbox' } }])),
      ...times(8, () => checkOf('lm', [{ role: 'Admin' }])),
    ])
    expect(logins(ws.target, 'eo', 'MailboxUser')).toEqual(['mu-1', 'mu-2', 'mu-far'])
    // One ordinary Admin (the reader), then three disposable ones: four checks at once.
    expect(logins(ws.target, 'lm', 'Admin')).toEqual(['lm-reader', 'spare-1', 'spare-2', 'spare-3'])
    expect(ws.target.apis.lm!.disposable).toEqual(spare.map(accountKey))
  })

  test('the reader is kept wherever the config lists it, also when no check draws on its role', () => {
    const t = targetOf(2, { eo: { baseUrl: 'http://x', fixtures: { Root: roots, MailboxUser: users }, reader: roots[1]! } })
    const ws = workingSet(
      t,
      apis,
      times(5, () => checkOf('eo', [{ role: 'MailboxUser' }])),
    )
    expect(logins(ws.target, 'eo', 'Root')).toEqual(['root-1', 'root-2'])
    expect(ws.target.apis.eo!.reader).toEqual(roots[1])
  })

  test('two APIs listing the same users keep the same ones; an API without checks keeps its list and is not counted', () => {
    const t = targetOf(2, {
      eo: { baseUrl: 'http://x', fixtures: { Root: roots, MailboxUser: users } },
      rest: { baseUrl: 'http://z', fixtures: { Root: roots, MailboxUser: users } },
      lm: { baseUrl: 'http://y', fixtures: { Admin: accounts('adm', 5) } },
    })
    const ws = workingSet(t, apis, [...times(3, () => checkOf('eo', [{ role: 'MailboxUser' }])), ...times(3, () => checkOf('rest', [{ role: 'MailboxUser' }]))])
    expect(logins(ws.target, 'eo', 'MailboxUser')).toEqual(logins(ws.target, 'rest', 'MailboxUser'))
    expect(logins(ws.target, 'eo', 'MailboxUser')).toHaveLength(2)
    expect(logins(ws.target, 'lm', 'Admin')).toHaveLength(5)
    expect(ws.untouched).toBe(14 + 1)
  })

  test('checks that take no account (writes not allowed) leave one account per list, for the preflight to check', () => {
    const t = { ...targetOf(4, { eo: { baseUrl: 'http://x', fixtures: { Root: roots, MailboxUser: users } } }), allowWrites: false }
    const ws = workingSet(
      t,
      apis,
      times(10, () => checkOf('eo', [{ role: 'MailboxUser' }])),
    )
    expect(logins(ws.target, 'eo', 'MailboxUser')).toEqual(['mu-1'])
  })

  test('a provisioning target (the embedded reference) is left as it is', () => {
    const t = targetOf(4, { eo: { baseUrl: 'http://x', fixtures: {}, provisioning: { url: 'http://c', key: 'k' } } })
    expect(
      workingSet(
        t,
        apis,
        times(3, () => checkOf('eo', [{ role: 'MailboxUser' }])),
      ).target,
    ).toEqual(t)
  })
})

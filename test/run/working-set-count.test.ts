import { describe, expect, test } from 'vitest'
import type { Check } from '../../src/engine/plan.ts'
import type { ResolvedTarget } from '../../src/engine/target.ts'
import { rolesNeeded } from '../../src/run/preflight-accounts.ts'
import { workingSet } from '../../src/run/working-set.ts'
import type { ApiDescription } from '../../src/spec/model.ts'

/**
 * The console's "N more not needed …, left untouched" (src/cli/run.ts) counts the fixture accounts the run sends nothing
 * to. A role no check of the run acts as or on (a --covers that needs MailboxUsers only) is never logged in by the
 * preflight nor lent: all its accounts are untouched, the one kept in its list too.
 */
const accounts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ login: `${prefix}-${i + 1}`, password: `\${env:${prefix}_${i + 1}}` }))
const eo = { api: 'eo', readBack: { as: 'Root' } } as unknown as ApiDescription
const apis = new Map([['eo', eo]])
const checkOf = (role: string) =>
  ({
    api: { api: 'eo', operations: {}, restorable: [], user: { fields: {} } },
    writes: true,
    spec: { users: { u: { role } }, before: [], when: { operation: 'Update', params: {} } },
  }) as unknown as Check

describe('the accounts a working set leaves untouched', () => {
  const target: ResolvedTarget = {
    name: 'staging',
    allowWrites: true,
    limits: { concurrency: 2, timeoutMs: 1000, maxBodyBytes: 1000 },
    apis: { eo: { baseUrl: 'http://x', fixtures: { Root: accounts('root', 2), MailboxUser: accounts('mu', 6), TechOps: accounts('ops', 3) } } },
  }
  const checks = [checkOf('MailboxUser'), checkOf('MailboxUser'), checkOf('MailboxUser')]

  test('a role no check needs: every one of its accounts is counted untouched', () => {
    expect(rolesNeeded(eo, checks)).toEqual(['MailboxUser', 'Root'])
    const ws = workingSet(target, apis, checks)
    // Touched: the reader and two MailboxUsers (concurrency 2). Untouched: root-2, four MailboxUsers, three TechOps.
    expect(ws.untouched).toBe(1 + 4 + 3)
  })

  test('allowed: a role the checks need keeps its first account counted as touched', () => {
    const ws = workingSet(target, apis, [...checks, checkOf('TechOps')])
    expect(ws.untouched).toBe(1 + 4 + 2)
  })
})

describe('two APIs listing the same accounts (ECGridOS and ECGrid REST)', () => {
  const rest = { api: 'rest', readBack: { as: 'Root' } } as unknown as ApiDescription
  const both = new Map([
    ['eo', eo],
    ['rest', rest],
  ])
  const roots = accounts('root', 2)
  const users = accounts('mu', 6)
  const target: ResolvedTarget = {
    name: 'staging',
    allowWrites: true,
    limits: { concurrency: 2, timeoutMs: 1000, maxBodyBytes: 1000 },
    apis: {
      eo: { baseUrl: 'http://x', fixtures: { Root: roots, MailboxUser: users } },
      rest: { baseUrl: 'http://y', fixtures: { Root: roots, MailboxUser: users } },
    },
  }
  const restCheck = () => ({ ...checkOf('MailboxUser'), api: { ...checkOf('MailboxUser').api, api: 'rest' } }) as unknown as Check

  test('touched and untouched count each account once: together, every configured account', () => {
    const ws = workingSet(target, both, [checkOf('MailboxUser'), checkOf('MailboxUser'), restCheck(), restCheck()])
    expect(ws.touched).toBe(1 + 2)
    expect(ws.touched + ws.untouched).toBe(roots.length + users.length)
  })
})

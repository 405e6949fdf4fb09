import { DatabaseSync } from 'node:sqlite'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { TICKET_LIFETIME_MS } from '../../reference/inforouter/sessions.ts'
import { conform, type CliResult } from '../helpers/cli.ts'
import { Staging } from '../helpers/staging.ts'

/** A run against shared staging leaves no session open: every ticket and session ID it opened is logged out. */

let s: Staging
let r: CliResult
const open = () => {
  const db = new DatabaseSync(s.dbFile, { readOnly: true })
  try {
    const count = (sql: string) => Number((db.prepare(sql).get() as { n: number }).n)
    // A ticket a check expired on purpose (the control endpoint ages it past its 30 days) is no open session.
    const live = Date.now() - TICKET_LIFETIME_MS
    return {
      inforouter: count(`SELECT count(*) AS n FROM ir_tickets WHERE last_used_ms > ${live}`),
      ecgridos: count('SELECT count(*) AS n FROM ec_sessions WHERE logged_out = 0'),
    }
  } finally {
    db.close()
  }
}

beforeAll(async () => {
  s = await new Staging().start()
  r = await conform(
    [
      'run',
      '--target',
      'staging',
      '--config',
      s.config({ allowWrites: true, apis: ['inforouter', 'ecgridos'] }),
      '--out',
      join(s.dir, 'reports'),
      '--binding',
      'soap11,http-get',
    ],
    s.env,
  )
})
afterAll(() => s.close())

describe('sessions opened by a run', () => {
  test('the run logged in many times (preflight, readers, callers)', () => {
    expect(r.code, r.stdout.slice(-1500) + r.stderr).not.toBe(70)
    expect(s.seen.filter((x) => x.operation === 'AuthenticateUser').length).toBeGreaterThan(5)
    expect(s.seen.filter((x) => x.operation === 'Login').length).toBeGreaterThan(3)
  })

  test('are all logged out when it ends: the target holds no open ticket or session', () => {
    expect(s.seen.filter((x) => x.operation === 'LogOut').length).toBeGreaterThan(5)
    expect(open()).toEqual({ inforouter: 0, ecgridos: 0 })
  })
})

import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { parameterHint, where } from '../../src/engine/param-hints.ts'
import { SPECS_DIR } from '../../src/paths.ts'
import { runThroughRewrite, TICKET_UNDER_OTHER_NAME } from '../helpers/allowed-rewrite-proxy.ts'
import { project } from '../helpers/run-suite.ts'

/** Where specs/inforouter/api.yaml declares UpdateUserEmail's ticket parameter, found in the file's text. */
function declaredAt(): string {
  const lines = readFileSync(resolve(SPECS_DIR, 'inforouter/api.yaml'), 'utf8').split('\n')
  const op = lines.findIndex((l) => /^\s+UpdateUserEmail:\s*$/.test(l))
  const i = lines.findIndex((l, n) => n > op && /^\s+params:/.test(l))
  const column = lines[i]!.indexOf('authenticationTicket') + 1
  return `specs/inforouter/api.yaml:${i + 1}:${column}`
}

describe('a refusal that points at a parameter name says which name the suite sent, and where it is declared', () => {
  const api = () => project().apis.get('inforouter')!
  test('[900] for a call that presented a ticket', () => {
    expect(where(api(), 'UpdateUserEmail', 'authenticationTicket')).toBe(declaredAt())
    expect(
      parameterHint({
        api: api(),
        operation: 'UpdateUserEmail',
        answerText: '<response success="false" error="[900] Authentication failed" />',
        presentedToken: true,
      }),
    ).toBe(
      `hint: the target answered as if no ticket had been sent; it may expect the ticket under another parameter name: the suite sent authenticationTicket (${declaredAt()})`,
    )
  })
  test('no hint when no ticket was presented, or the answer says something else', () => {
    expect(
      parameterHint({ api: api(), operation: 'UpdateUserEmail', answerText: 'error="[900] Authentication failed"', presentedToken: false }),
    ).toBeUndefined()
    expect(parameterHint({ api: api(), operation: 'UpdateUserEmail', answerText: 'error="Access denied"', presentedToken: true })).toBeUndefined()
  })
  test('ASMX "Missing parameter: X." names the declared spelling', () => {
    expect(parameterHint({ api: api(), operation: 'UpdateUserContactInfo', answerText: 'Missing parameter: MobileNumber.', presentedToken: true })).toMatch(
      /^hint: the target missed "MobileNumber"; the suite sent it as mobileNumber \(specs\/inforouter\/api\.yaml:\d+:\d+\)/,
    )
    expect(parameterHint({ api: api(), operation: 'UpdateUserContactInfo', answerText: 'Missing parameter: Lang.', presentedToken: true })).toMatch(
      /^hint: the target asks for "Lang", which UpdateUserContactInfo does not declare; the suite sent authenticationTicket, userName, emailAddress, mobileNumber/,
    )
  })
  test('against a SOAP target that reads the ticket only as AuthenticationTicket, every failing check carries the hint', async () => {
    const { results, changed } = await runThroughRewrite(TICKET_UNDER_OTHER_NAME, { apis: ['inforouter'], bindings: ['soap11'] })
    expect(changed).toBeGreaterThan(0)
    const failed = results.filter((r) => r.status === 'failed' && r.operation === 'UpdateUserEmail')
    expect(failed.length).toBeGreaterThan(3)
    for (const r of failed) expect(r.message, r.id).toContain(`the suite sent authenticationTicket (${declaredAt()})`)
  })
})

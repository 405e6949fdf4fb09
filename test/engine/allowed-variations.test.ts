import { describe, expect, test } from 'vitest'
import type { CheckResult } from '../../src/engine/result.ts'
import { strongestLevel } from '../../src/catalogue.ts'
import { ALLOWED_REWRITES, runThroughRewrite, type RewriteName } from '../helpers/allowed-rewrite-proxy.ts'
import { project } from '../helpers/run-suite.ts'

/**
 * No false alarm on what the documentation allows (issue 20): the real suite's checks, run against the reference
 * behind a proxy that behaves in a way the pages or DESIGN allow, pass. Each case also requires that the proxy
 * changed something, so a rewrite that no longer matches the reference's answers cannot pass by doing nothing.
 */

const notPassed = (results: CheckResult[]) => results.filter((r) => r.status !== 'passed').map((r) => `${r.id} [${r.status}]: ${r.message}`)

const CASES: Array<[RewriteName, string[]]> = [
  ['extra-fields', ['inforouter', 'ecgridos', 'ecgrid-rest', 'logicmelon']],
  ['soap-prefixes', ['inforouter', 'ecgridos', 'logicmelon']],
  ['xsd-spellings', ['ecgridos', 'logicmelon']],
  ['error-wording', ['inforouter']],
  ['rest-refuses-extra-fields', ['ecgrid-rest']],
  ['rest-415', ['ecgrid-rest']],
  ['validates-email', ['inforouter']],
]

describe.concurrent('allowed variations raise no alarm', () => {
  for (const [name, apis] of CASES) {
    test(`${name} (${apis.join(', ')})`, async () => {
      const { results, changed } = await runThroughRewrite(ALLOWED_REWRITES[name], { apis })
      // validates-email refuses nothing the suite sends (that is the point): the next test shows what it would refuse
      if (name !== 'validates-email') expect(changed, 'the rewrite changed nothing: it no longer exercises the suite').toBeGreaterThan(0)
      expect(results.length).toBeGreaterThan(10)
      expect(notPassed(results)).toEqual([])
    })
  }
})

describe('test data is valid data', () => {
  test("a validating infoRouter refuses the address xml-special-characters sent before (quoted specials), accepts today's", () => {
    const refuse = ALLOWED_REWRITES['validates-email'].answerInstead
    const call = (address: string) =>
      refuse({
        method: 'GET',
        url: `/srv.asmx/UpdateUserEmail?authenticationTicket=t&UserName=u&NewEmailAddress=${encodeURIComponent(address)}`,
        headers: {},
        body: '',
      })
    expect(call(`o'brien&<"sales">@example.com`)?.body).toContain('success="false"')
    expect(call(`o'brien&co.lorem@example.com`)).toBeUndefined()
  })
})

describe('a leak in an error text is X-2 only', () => {
  test("a debug build's stack trace in [900]/[901] texts: checks warn on X-2 (ADVISORY), no MUST behaviour fails", async () => {
    const { results, changed } = await runThroughRewrite(ALLOWED_REWRITES['debug-error-text'], { apis: ['inforouter'] })
    expect(changed).toBeGreaterThan(0)
    const catalogue = project().catalogue
    expect(results.filter((r) => r.status === 'failed').map((r) => `${r.id}: ${r.message}`)).toEqual([])
    const warned = results.filter((r) => r.status === 'warned')
    expect(warned.length).toBeGreaterThan(0)
    for (const r of warned) {
      expect(r.failures.map((f) => f.behaviours.join(','))).toEqual(r.failures.map(() => 'X-2'))
      expect(
        strongestLevel(
          r.failures.flatMap((f) => f.behaviours),
          catalogue,
        ),
      ).toBe('ADVISORY')
    }
  })
})

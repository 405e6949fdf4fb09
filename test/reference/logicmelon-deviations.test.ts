import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { listDeviations } from '../../reference/index.ts'
import { startClient, type RefClient } from './helpers.ts'
import { LmClient } from './logicmelon-helpers.ts'
import { LOGICMELON_ANSWER_SCENARIOS } from './answer-scenarios.ts'
import { LOGICMELON_SCENARIOS } from './logicmelon-scenarios.ts'

// The catalogue ends with the LogicMelon deviations of answers.ts (answer-scenarios.ts).
const SCENARIOS = { ...LOGICMELON_SCENARIOS, ...LOGICMELON_ANSWER_SCENARIOS }

let plain: RefClient
beforeAll(async () => {
  plain = await startClient()
})
afterAll(async () => {
  await plain.ref.close()
})

describe('the LogicMelon deviation catalogue', () => {
  test('lists exactly these deviations, in order, with the behaviours each breaks', () => {
    const logicmelon = listDeviations().filter((d) => d.api === 'logicmelon')
    expect(logicmelon.map((d) => d.name)).toEqual(Object.keys(SCENARIOS))
    for (const d of logicmelon) expect(d.description.length).toBeGreaterThan(10)
    expect(Object.fromEntries(logicmelon.map((d) => [d.name, d.breaks]))).toEqual({
      'lm-soap12-as-soap11': ['LM-1', 'X-1'],
      'lm-fault-http-200': ['LM-1', 'X-1'],
      'lm-answer-drops-address': ['LM-2'],
      'lm-update-not-persisted': ['LM-3'],
      'lm-round-trip-clears-password': ['LM-4'],
      'lm-updates-identity': ['LM-5'],
      'lm-role-reset': ['LM-5'],
      'lm-applies-role': ['LM-5'],
      'lm-uppercases-position': ['LM-3', 'LM-4', 'LM-5'],
      'lm-omitted-clears': ['LM-5'],
      'lm-nil-clears': ['LM-5'],
      'lm-moves-user': ['LM-6'],
      'lm-any-password': ['LM-7'],
      'lm-any-api-key': ['LM-7'],
      'lm-bad-credentials-empty-user': ['LM-7'],
      'lm-role-as-name': ['LM-8'],
      'lm-flags-capitalised': ['LM-8'],
      'lm-password-echoed': ['LM-9', 'X-3'],
      'lm-wsdl-flat-params': ['LM-10'],
      'lm-wsdl-cuser-user-id-as-string': ['LM-10'],
      'lm-wsdl-cuser-lacks-fax': ['LM-10'],
      'lm-wsdl-list-lacks-start-organisation': ['LM-10'],
      'lm-names-ascii-only': ['LM-2', 'LM-3', 'LM-4', 'LM-5', 'LM-10'],
      'lm-post-code-as-number': ['LM-3', 'LM-4', 'LM-5'],
      'lm-credentials-cookie': ['X-3'],
      'lm-answer-stale-address': ['LM-3'],
      'lm-answer-echoes-request': ['LM-3'],
      'lm-answer-caller-identifier': ['LM-3'],
      'lm-empty-keeps-fax': ['LM-3'],
      'lm-nil-clears-secondary-address': ['LM-5'],
      'lm-left-out-flags-reset': ['LM-5'],
      'lm-nil-flag-false': ['LM-5'],
    })
  })
})

describe.each(Object.entries(SCENARIOS))('deviation %s', (name, scenario) => {
  test('changes the behaviour as described; the plain reference behaves as documented', async () => {
    expect(await scenario.run(new LmClient(plain))).toEqual(scenario.plain)
    const deviant = await startClient({ deviations: [name] })
    try {
      expect(await scenario.run(new LmClient(deviant))).toEqual(scenario.deviant)
    } finally {
      await deviant.ref.close()
    }
  })
})

describe('LogicMelon deviations compose', () => {
  test('several at once each take effect, and leave the others alone', async () => {
    const names = ['lm-role-as-name', 'lm-password-echoed', 'lm-omitted-clears', 'lm-fault-http-200']
    const c = await startClient({ deviations: names })
    try {
      const lm = new LmClient(c)
      for (const name of names) expect(await SCENARIOS[name]?.run(lm), name).toEqual(SCENARIOS[name]?.deviant)
      for (const name of ['lm-update-not-persisted', 'lm-moves-user', 'lm-soap12-as-soap11'])
        expect(await SCENARIOS[name]?.run(lm), name).toEqual(SCENARIOS[name]?.plain)
    } finally {
      await c.ref.close()
    }
  })

  test('LogicMelon deviations leave the other APIs alone', async () => {
    const all = listDeviations()
      .filter((d) => d.api === 'logicmelon')
      .map((d) => d.name)
    const c = await startClient({ deviations: all })
    try {
      const wsdl = await c.raw('GET', '/v4.1/prod/ECGridOS.asmx?WSDL')
      expect(wsdl.body).toContain('name="Email"')
      const fault = await c.raw('POST', '/v4.1/prod/ECGridOS.asmx', {
        headers: { 'content-type': 'application/soap+xml; charset=utf-8' },
        body: '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><Logout xmlns="http://www.ecgridos.net/" /></soap:Body></soap:Envelope>',
      })
      expect([fault.status, fault.contentType]).toEqual([500, 'application/soap+xml; charset=utf-8'])
    } finally {
      await c.ref.close()
    }
  })
})

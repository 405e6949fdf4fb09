import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { listDeviations } from '../../reference/index.ts'
import { startClient, type RefClient } from './helpers.ts'
import { EcgridClient } from './ecgrid-helpers.ts'
import { ECGRID_REST_SCENARIOS } from './ecgrid-scenarios-rest.ts'
import { ECGRIDOS_SCENARIOS } from './ecgrid-scenarios-soap.ts'
import { ECGRIDOS_ANSWER_SCENARIOS, ECGRID_REST_ANSWER_SCENARIOS } from './answer-scenarios.ts'
import type { Scenario } from './ecgrid-scenarios.ts'

// Each API's catalogue ends with its deviations of answers.ts (answer-scenarios.ts).
const SCENARIOS: Record<string, Scenario> = { ...ECGRIDOS_SCENARIOS, ...ECGRIDOS_ANSWER_SCENARIOS, ...ECGRID_REST_SCENARIOS, ...ECGRID_REST_ANSWER_SCENARIOS }

let plain: RefClient
beforeAll(async () => {
  plain = await startClient()
})
afterAll(async () => {
  await plain.ref.close()
})

describe('the ECGrid deviation catalogue', () => {
  test('lists exactly these deviations, in order, with their API and broken behaviours', () => {
    const ecgrid = listDeviations().filter((d) => d.api === 'ecgridos' || d.api === 'ecgrid-rest')
    expect(ecgrid.map((d) => d.name)).toEqual(Object.keys(SCENARIOS))
    for (const d of ecgrid) {
      expect(d.api).toBe(d.name.startsWith('eo-') ? 'ecgridos' : 'ecgrid-rest')
      expect(d.breaks.length).toBeGreaterThanOrEqual(1)
      // A REST deviation that makes the faces disagree also breaks EO-12 and EL-17, the two profiles' "REST equivalent";
      // one that echoes a credential in its headers breaks X-3.
      for (const b of d.breaks) expect(b).toMatch(d.name.startsWith('eo-') ? /^(EO-\d+|X-3)$/ : /^(ER-\d+|EO-12|EL-17|X-3)$/)
      expect(d.description.length).toBeGreaterThan(10)
    }
    expect(Object.fromEntries(ecgrid.map((d) => [d.name, d.breaks[0]]))).toMatchObject({
      'eo-answer-stale': 'EO-1',
      'eo-changes-status': 'EO-2',
      'eo-answer-wrong-user-id': 'EO-3',
      'eo-not-persisted': 'EO-4',
      'eo-authlevel-as-number': 'EO-5',
      'eo-logged-out-session-valid': 'EO-6',
      'eo-unknown-user-empty-answer': 'EO-7',
      'eo-anyone-updates-anyone': 'EO-8',
      'eo-soap12-as-soap11': 'EO-9',
      'eo-wsdl-drops-email': 'EO-10',
      'eo-same-values-fault': 'EO-11',
      'er-null-clears': 'ER-2',
      'er-mass-assignment': 'ER-3',
      'er-unknown-user-400': 'ER-4',
      'er-partial-before-validation': 'ER-5',
      'er-missing-key-allowed': 'ER-6',
      'er-error-without-code': 'ER-7',
      'er-created-local-time': 'ER-8',
      'er-not-persisted': 'ER-9',
      'er-empty-name-ignored': 'ER-10',
      'er-bad-json-500': 'ER-11',
    })
  })
})

describe.each(Object.entries(SCENARIOS))('deviation %s', (name, scenario) => {
  test('changes the behaviour as described; the plain reference behaves as documented', async () => {
    expect(await scenario.run(new EcgridClient(plain))).toEqual(scenario.plain)
    const deviant = await startClient({ deviations: [name] })
    try {
      expect(await scenario.run(new EcgridClient(deviant))).toEqual(scenario.deviant)
    } finally {
      await deviant.ref.close()
    }
  })
})

describe('ECGrid deviations compose', () => {
  test('SOAP and REST deviations at once each take effect, and leave the other face alone', async () => {
    const names = ['eo-changes-status', 'eo-authlevel-as-number', 'er-user-id-as-string', 'er-empty-name-ignored']
    const c = await startClient({ deviations: names })
    try {
      const ec = new EcgridClient(c)
      for (const name of names) expect(await SCENARIOS[name]?.run(ec)).toEqual(SCENARIOS[name]?.deviant)
      expect(await SCENARIOS['er-answer-stale']?.run(ec)).toEqual(SCENARIOS['er-answer-stale']?.plain)
      expect(await SCENARIOS['eo-fault-http-200']?.run(ec)).toEqual(SCENARIOS['eo-fault-http-200']?.plain)
    } finally {
      await c.ref.close()
    }
  })
})

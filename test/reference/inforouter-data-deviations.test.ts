import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { listDeviations } from '../../reference/index.ts'
import { INFOROUTER_DATA_DEVIATIONS } from '../../reference/deviations/inforouter-data.ts'
import { startClient, type RefClient } from './helpers.ts'
import { INFOROUTER_DATA_SCENARIOS as SCENARIOS } from './inforouter-data-scenarios.ts'

let plain: RefClient
beforeAll(async () => {
  plain = await startClient()
})
afterAll(async () => {
  await plain.ref.close()
})

describe('the infoRouter data deviations', () => {
  test('each has a scenario, and is listed with the infoRouter catalogue', () => {
    expect(INFOROUTER_DATA_DEVIATIONS.map((d) => d.name)).toEqual(Object.keys(SCENARIOS))
    const listed = listDeviations()
      .filter((d) => d.api === 'inforouter')
      .map((d) => d.name)
    for (const d of INFOROUTER_DATA_DEVIATIONS) {
      expect(listed).toContain(d.name)
      expect(d.breaks.every((b) => /^(IE|IC)-\d+$/.test(b))).toBe(true)
    }
  })
})

describe.each(Object.entries(SCENARIOS))('deviation %s', (name, scenario) => {
  test('changes the behaviour as described; the plain reference behaves as documented', async () => {
    expect(await scenario.run(plain)).toEqual(scenario.plain)
    const deviant = await startClient({ deviations: [name] })
    try {
      expect(await scenario.run(deviant)).toEqual(scenario.deviant)
    } finally {
      await deviant.ref.close()
    }
  })
})

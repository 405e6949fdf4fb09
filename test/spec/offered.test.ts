import { describe, expect, test } from 'vitest'
import type { ApiDescription } from '../../src/spec/model.ts'
import { offeredBindings, targetOffers } from '../../src/spec/offered.ts'
import { loadProject } from '../../src/project.ts'

const api = {
  bindings: { soap12: { path: '/svc' }, soap11: { path: '/svc' }, 'http-get': { path: '/svc' } },
  operations: {
    Login: { bindings: ['soap11', 'http-get'] },
    Update: {},
  },
} as unknown as Pick<ApiDescription, 'bindings' | 'operations'>

describe('the bindings an operation is offered over', () => {
  test("the operation's own list when it has one, in its order", () => {
    expect(offeredBindings(api, 'Login')).toEqual(['soap11', 'http-get'])
  })

  test("else every binding the API declares, in api.yaml's order: also for no operation or one the API lacks", () => {
    expect(offeredBindings(api, 'Update')).toEqual(['soap12', 'soap11', 'http-get'])
    expect(offeredBindings(api)).toEqual(['soap12', 'soap11', 'http-get'])
    expect(offeredBindings(api, 'NoSuchOperation')).toEqual(['soap12', 'soap11', 'http-get'])
  })

  test('narrowed to the bindings a target lists; a target that lists none offers all', () => {
    expect(offeredBindings(api, 'Login', ['soap12', 'http-get'])).toEqual(['http-get'])
    expect(offeredBindings(api, 'Update', ['soap11'])).toEqual(['soap11'])
    expect(offeredBindings(api, 'Login', [])).toEqual([])
    expect(offeredBindings(api, 'Login', undefined)).toEqual(['soap11', 'http-get'])
    expect(targetOffers(undefined, 'soap12')).toBe(true)
    expect(targetOffers(['soap11'], 'soap11')).toBe(true)
    expect(targetOffers(['soap11'], 'soap12')).toBe(false)
  })

  test('the shipped APIs: every operation goes over at least one binding its API declares', () => {
    const project = loadProject()
    for (const a of project.apis.values()) {
      for (const name of Object.keys(a.operations)) {
        const offered = offeredBindings(a, name)
        expect(offered.length, `${a.api} ${name}`).toBeGreaterThan(0)
        for (const b of offered) expect(a.bindings[b], `${a.api} ${name} ${b}`).toBeDefined()
      }
    }
  })
})

import { request } from 'undici'
import { describe, expect, test } from 'vitest'
import { Runner } from '../../src/engine/runner.ts'
import { planChecks } from '../../src/engine/plan.ts'
import { loadProject } from '../../src/project.ts'
import { startTarget } from '../../src/run/resolve-target.ts'

describe('users the run provisions on the reference', () => {
  test('none is removed while the checks run; every one is removed, in one request per API, when the run ends', async () => {
    const project = loadProject()
    const started = await startTarget(project, 'reference')
    try {
      const runner = new Runner({ target: started.target, apis: project.apis, catalogue: project.catalogue, seed: 5 })
      const cases = planChecks(project, started.target, { apis: ['inforouter', 'logicmelon', 'ecgridos'], bindings: ['soap11'] })
      const results = await runner.runAll(cases)
      expect(results.every((r) => r.status === 'passed')).toBe(true)
      const control = results.flatMap((r) => r.control ?? [])
      expect(control.filter((x) => x.request.method === 'DELETE')).toEqual([])
      // Each provisioned user by API, as its POST named it.
      const made = control
        .filter((x) => x.request.method === 'POST' && /\/users$/.test(new URL(x.request.url).pathname))
        .map((x) => {
          const api = /\/__reference\/([^/]+)\/users$/.exec(new URL(x.request.url).pathname)![1]!
          const body = JSON.parse(x.request.body!) as Record<string, string>
          return { api, name: body.userName ?? body.login ?? body.username!, url: x.request.url }
        })
      expect(new Set(made.map((m) => m.api))).toEqual(new Set(['inforouter', 'logicmelon', 'ecgridos']))
      await runner.close()
      for (const m of made) {
        const key = started.target.apis[m.api]!.provisioning!.key
        const gone = await request(`${m.url}/${encodeURIComponent(m.name)}`, { method: 'DELETE', headers: { 'x-reference-control': key } })
        await gone.body.dump()
        expect(gone.statusCode, `${m.api} user ${m.name}`).toBe(404)
      }
    } finally {
      await started.stop()
    }
  }, 60_000)
})

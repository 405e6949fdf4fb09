import { describe, expect, test } from 'vitest'
import { authenticate, tokenSecrets } from '../../src/engine/authenticate.ts'
import { Runner } from '../../src/engine/runner.ts'
import { planChecks } from '../../src/engine/plan.ts'
import { loadProject } from '../../src/project.ts'
import { startTarget } from '../../src/run/resolve-target.ts'

const project = loadProject()

describe('credentials sent with every call (LogicMelon)', () => {
  test('only the params that carry a user secret (API key, password) are secrets; the culture and user name are not', async () => {
    const api = project.apis.get('logicmelon')!
    const user = { username: 'lm-ann', password: 'Pw-secret-1', apiKey: 'k'.repeat(32), role: 'Recruiter' }
    const token = await authenticate(api, 'soap11', user, () => {
      throw new Error('no login call for credentials')
    })
    expect(token).toMatchObject({ kind: 'credentials', params: { 'Request.sCultureID': 'en-GB', 'Request.sUsername': 'lm-ann' } })
    expect(tokenSecrets(token).sort()).toEqual(['Pw-secret-1', 'k'.repeat(32)].sort())
  })

  test('in a run, the reports keep "en-GB" and the user names, and never show a password or an API key', async () => {
    const started = await startTarget(project, 'reference')
    try {
      const runner = new Runner({ target: started.target, apis: project.apis, catalogue: project.catalogue, seed: 3 })
      const results = await runner.runAll(planChecks(project, started.target, { apis: ['logicmelon'], bindings: ['soap11'] }))
      await runner.close()
      const list = results.flatMap((r) => r.exchanges).find((x) => x.operation === 'UserList')!
      expect(list.request.body).toContain('<sCultureID>en-GB</sCultureID>')
      expect(list.request.body).toMatch(/<sUsername>[^*<]+<\/sUsername>/)
      expect(list.request.body).toContain('<sAPIKey>***</sAPIKey>')
      expect(list.request.body).toContain('<sPassword>***</sPassword>')
    } finally {
      await started.stop()
    }
  }, 60_000)
})

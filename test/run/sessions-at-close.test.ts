import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DatabaseSync } from 'node:sqlite'
import { request } from 'undici'
import { describe, expect, test } from 'vitest'
import { startReference } from '../../reference/index.ts'
import { loadProject } from '../../src/project.ts'
import { CheckRun } from '../../src/run/engine-run.ts'
import { defaultRunOptions } from '../../src/run/options.ts'
import { startTarget } from '../../src/run/resolve-target.ts'

/**
 * On a target that provisions users (the embedded reference), the run removes its users when it ends, one request per
 * API, and their sessions go with them: no logout per login is sent, and no ticket or session is left open.
 */
describe('the sessions of a run on the embedded reference', () => {
  test('none is left open once the run closed, though none was logged out one by one', async () => {
    const dbFile = join(mkdtempSync(join(tmpdir(), 'conform-sessions-')), 'ref.sqlite')
    const ref = await startReference({ dbFile })
    const project = loadProject()
    const started = await startTarget(project, project.config.defaultTarget, [], { started: Promise.resolve(ref) })
    // The APIs' traffic through a proxy that notes every logout (the control endpoint is reached directly).
    const logouts: string[] = []
    const proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = []
      for await (const c of req) chunks.push(c as Buffer)
      const body = Buffer.concat(chunks)
      if (/log ?out/i.test(`${req.url} ${body.toString('utf8')}`)) logouts.push(req.url ?? '')
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)))
      const r = await request(`${ref.url}${req.url}`, { method: req.method as 'GET', headers, body: body.length ? body : null })
      const answer = Buffer.from(await r.body.arrayBuffer())
      res.writeHead(r.statusCode, { 'content-type': String(r.headers['content-type'] ?? 'text/plain') })
      res.end(answer)
    })
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
    const via = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    const target = {
      ...started.target,
      apis: Object.fromEntries(Object.entries(started.target.apis).map(([a, t]) => [a, { ...t, baseUrl: t.baseUrl.replace(ref.url, via) }])),
    }
    try {
      const run = new CheckRun({
        project,
        target,
        options: { ...defaultRunOptions(), apis: ['inforouter', 'ecgridos'], covers: ['IE-1', 'IE-5', 'EO-1', 'EO-8'] },
      })
      const outcome = await run.all()
      expect(outcome.checks.length).toBeGreaterThan(4)
      const db = new DatabaseSync(dbFile, { readOnly: true })
      const open = () => ({
        tickets: (db.prepare('SELECT count(*) AS n FROM ir_tickets').get() as { n: number }).n,
        sessions: (db.prepare('SELECT count(*) AS n FROM ec_sessions').get() as { n: number }).n,
      })
      try {
        const during = open()
        expect(during.tickets + during.sessions).toBeGreaterThan(0)
        await run.close()
        expect(open()).toEqual({ tickets: 0, sessions: 0 })
      } finally {
        db.close()
      }
    } finally {
      await started.stop()
      proxy.close()
    }
    expect(logouts).toEqual([])
  })
})

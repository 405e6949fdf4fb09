import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { describe, expect, test } from 'vitest'
import { serveReference } from '../../reference/serve.ts'

const NODE = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url))
const SERVE = fileURLToPath(new URL('../../reference/serve.ts', import.meta.url))

describe('serveReference', () => {
  test('logs the URL and API paths, not the control key unless asked; close() resolves `closed`', async () => {
    const lines: string[] = []
    const served = await serveReference({ log: (l) => lines.push(l), handleSignals: false, deviations: ['ie-noop-fails'] })
    try {
      expect(lines[0]).toBe(`reference listening on ${served.url}`)
      expect(lines.join('\n')).toContain(`${served.url}/srv.asmx`)
      expect(lines).toContain(`  ECGridOS: ${served.url}/v4.1/prod/ECGridOS.asmx (WSDL: ${served.url}/v4.1/prod/ECGridOS.asmx?WSDL)`)
      expect(lines).toContain(`  ECGrid REST: ${served.url}/v2/users`)
      expect(lines).toContain(`  ECGrid REST: ${served.url}/v2/users/{id}`)
      expect(lines.join('\n')).not.toContain(served.controlKey)
      const res = await request(`${served.url}/srv.asmx?WSDL`)
      expect(res.statusCode).toBe(200)
      await res.body.dump()
    } finally {
      await served.close()
    }
    await served.closed

    const withKey: string[] = []
    const second = await serveReference({ log: (l) => withKey.push(l), handleSignals: false, printControlKey: true, controlKey: 'abc123' })
    await second.close()
    expect(withKey.join('\n')).toContain('control key: abc123')
  })

  test('runs standalone on Node 24 type stripping and exits cleanly on SIGTERM', async () => {
    const script = `import { serveReference } from ${JSON.stringify(SERVE)}; await serveReference({ port: 0 })`
    const child = spawn(NODE, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString()
        const match = /reference listening on (\S+)/.exec(stdout)
        if (match?.[1]) resolve(match[1])
      })
      child.once('exit', () => reject(new Error(`exited early: ${stderr}`)))
    })
    const res = await request(`${url}/srv.asmx/AuthenticateUser?UID=a&PWD=b`)
    expect(await res.body.text()).toContain('[900] Authentication failed')
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    child.kill('SIGTERM')
    expect(await exit).toBe(0)
    expect(stderr).toBe('')
  })
})

import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { request } from 'undici'
import { describe, expect, test } from 'vitest'
import { listVariations } from '../../reference/index.ts'
import { PROJECT_ROOT } from '../../src/paths.ts'
import { conform } from '../helpers/cli.ts'

describe('conform variations, --vary', () => {
  test('conform variations lists every variation with its API, what it does and what allows it; --json gives the same as data', async () => {
    const text = await conform(['variations'])
    expect(text.code).toBe(0)
    for (const v of listVariations()) expect(text.stdout).toContain(v.name)
    expect(text.stdout).toContain('allowed by: RFC 9112 §6.1')
    expect(text.stdout).toContain(`${listVariations().length} variations.`)
    const json = await conform(['variations', '--json'])
    expect(JSON.parse(json.stdout)).toEqual(listVariations())
  })

  test('an unknown name is bad usage (exit 2, nothing started) for serve, run and self-check', async () => {
    for (const command of ['serve', 'run', 'self-check']) {
      const r = await conform([command, '--vary', 'no-such-variation'])
      expect(r.code, command).toBe(2)
      expect(r.stderr, command).toContain('unknown variation "no-such-variation" (see conform variations)')
    }
  })

  test('conform serve --vary serves the variation and says so', async () => {
    const child = spawn(process.execPath, [resolve(PROJECT_ROOT, 'bin/conform.mjs'), 'serve', '--port', '0', '--vary', 'soap-prefix-s,charset-upper-case'], {
      cwd: PROJECT_ROOT,
    })
    let out = ''
    const exited = new Promise<number | null>((r) => child.on('close', r))
    try {
      const url = await new Promise<string>((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`no URL printed: ${out}`)), 15_000)
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
          if (m && out.includes('variations:')) {
            clearTimeout(timer)
            ok(m[1]!)
          }
        })
      })
      expect(out).toContain('  variations: soap-prefix-s, charset-upper-case')
      const res = await request(`${url}/srv.asmx`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://tempuri.org/NoSuchOp"' },
        body: '<x/>',
      })
      expect(res.headers['content-type']).toBe('text/xml; charset=UTF-8')
      expect(await res.body.text()).toMatch(
        /<s:Envelope xmlns:s="http:\/\/schemas\.xmlsoap\.org\/soap\/envelope\/"[^>]*><s:Body><s:Fault><faultcode>s:Client<\/faultcode>/,
      )
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  })
})

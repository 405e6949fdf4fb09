import { readdirSync, readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join, relative } from 'node:path'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { PROJECT_ROOT } from '../../src/paths.ts'
import { startReference, type RunningReference } from '../../reference/index.ts'
import { createHttpServer } from '../../reference/http/server.ts'

/**
 * The reference is what client developers poke at, so it must take anything: no entity is ever resolved by
 * any of its SOAP services, an element flood is refused before it costs much, every body over the limit is 413,
 * an unexpected exception is a fixed text (no stack, no path), and every SQL statement takes values only as
 * parameters (a source audit, so a new string-built statement fails here).
 */

const REFERENCE = join(PROJECT_ROOT, 'reference')
const SOAP_SERVICES = [
  { name: 'infoRouter', path: '/srv.asmx', ns: 'http://tempuri.org/', op: 'GetUser' },
  { name: 'ECGridOS', path: '/v4.1/prod/ECGridOS.asmx', ns: 'http://www.ecgridos.net/', op: 'UserInfo' },
  { name: 'LogicMelon', path: '/json/Administration.asmx', ns: 'http://api.logicmelon.com/', op: 'UserList' },
]
const env = (s: (typeof SOAP_SERVICES)[number], inner: string, prolog = '') =>
  `<?xml version="1.0" encoding="utf-8"?>${prolog}<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><${s.op} xmlns="${s.ns}">${inner}</${s.op}></soap:Body></soap:Envelope>`
const LAUGHS = `<!DOCTYPE soap:Envelope [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 9 }, (_, i) => `<!ENTITY a${i + 1} "${`&a${i || ''};`.repeat(10)}">`).join('')}]>`
const HOSTILE_XML: Array<[string, (s: (typeof SOAP_SERVICES)[number]) => string]> = [
  ['an external entity', (s) => env(s, '<UserName>&xxe;</UserName>', '<!DOCTYPE soap:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')],
  ['an entity expansion bomb', (s) => env(s, '<UserName>&a9;</UserName>', LAUGHS)],
  ['a parameter entity', (s) => env(s, '', '<!DOCTYPE soap:Envelope [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x.dtd"> %p;]>')],
  ['an element flood', (s) => env(s, '<e/>'.repeat(200_000))],
  ['deep nesting', (s) => env(s, `${'<e>'.repeat(50_000)}${'</e>'.repeat(50_000)}`)],
]

let ref: RunningReference
beforeAll(async () => {
  ref = await startReference()
})
afterAll(async () => {
  await ref.close()
})

describe('no XML parser of the reference resolves an entity or drowns in elements', () => {
  const cases = SOAP_SERVICES.flatMap((s) => HOSTILE_XML.map(([what, body]) => ({ label: `${s.name}: ${what}`, s, body: body(s) })))
  test.for(cases)('$label → HTTP 400 with an empty body, quickly', async ({ s, body }) => {
    const t0 = performance.now()
    const r = await request(`${ref.url}${s.path}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${s.ns}${s.op}"` },
      body,
    })
    const text = await r.body.text()
    expect(r.statusCode).toBe(400)
    expect(text).toBe('')
    expect(performance.now() - t0).toBeLessThan(500)
  })
})

describe('request size limit', () => {
  test.for(SOAP_SERVICES)('$name: a body over the limit is 413', async (s) => {
    const r = await request(`${ref.url}${s.path}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"${s.ns}${s.op}"` },
      body: env(s, `<x>${'y'.repeat(1_100_000)}</x>`),
    })
    await r.body.dump()
    expect(r.statusCode).toBe(413)
  })
  test('headers over 16 KB are 431', async () => {
    const r = await request(`${ref.url}/srv.asmx?WSDL`, { headers: { 'x-big': 'b'.repeat(20_000) } })
    await r.body.dump()
    expect(r.statusCode).toBe(431)
  })
})

describe('an unexpected exception is a fixed text', () => {
  test('no stack, no message, no path: "An error occurred on the server."', async () => {
    const server = createHttpServer({
      maxRequestBytes: 1000,
      mounts: [
        {
          name: 'boom',
          matches: () => true,
          handle: () => {
            throw new Error(`cannot open ${join(REFERENCE, 'secret.db')}`)
          },
        },
      ],
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const r = await request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`)
      expect(r.statusCode).toBe(500)
      expect(await r.body.text()).toBe('An error occurred on the server.')
    } finally {
      server.close()
    }
  })
})

describe('SQL audit: values only through parameters', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []))
  /** The argument text of every `db.prepare(…)` / `db.exec(…)` call, with its place (SQL's own parentheses are balanced). */
  const sources = files(REFERENCE)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n')
  const statements = files(REFERENCE).flatMap((file) => {
    const text = readFileSync(file, 'utf8')
    return [...text.matchAll(/\bdb\.(prepare|exec)\(/g)].map((m) => {
      let depth = 1
      let i = m.index + m[0].length
      for (; i < text.length && depth > 0; i++) depth += text[i] === '(' ? 1 : text[i] === ')' ? -1 : 0
      return {
        where: `${relative(PROJECT_ROOT, file)}:${text.slice(0, m.index).split('\n').length}`,
        arg: text
          .slice(m.index + m[0].length, i - 1)
          .trim()
          .replace(/,$/, ''),
      }
    })
  })
  /** The one interpolation allowed: LogicMelon's fixed column list (a constant array of names). */
  const COLUMN_LIST = /\$\{STORED_FIELDS\.(?:join|map)\((?:[^()]|\([^()]*\))*\)(?:\.join\([^()]*\))?\}/g

  test('finds the statements (the audit is looking at something), and every prepared statement is on `db`', () => {
    expect(statements.length).toBeGreaterThan(40)
    expect(sources.match(/\.prepare\(/g)?.length).toBe(sources.match(/\bdb\.prepare\(/g)?.length)
  })

  test('every statement is one literal (or a literal constant) with no interpolation but the column list', () => {
    const bad: string[] = []
    for (const s of statements) {
      const constant = /^[A-Z][A-Z0-9_]*$/.exec(s.arg)
      const text = constant ? new RegExp(`const ${constant[0]} = (\`[^\`]*\`|'[^']*')`).exec(sources)?.[1] : s.arg.replace(COLUMN_LIST, '')
      if (!text || !/^(`[^`]*`|'[^']*'|"[^"]*")$/.test(text) || text.includes('${')) bad.push(`${s.where}: ${s.arg.slice(0, 100)}`)
    }
    expect(bad).toEqual([])
  })
})

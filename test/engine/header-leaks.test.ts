import { describe, expect, test } from 'vitest'
import { scanAnswer, scanHeaders, scanWireAnswer } from '../../src/engine/leaks.ts'

const PASSWORD = 'S3cret p@ss&<word>+9aZ!'
const TOKEN = '0f8fad5b-d9cb-469f-a165-70867728950e'
const secrets = { passwords: [PASSWORD], tokens: [TOKEN] }

describe('[HEADER_LEAK]: credentials echoed in answer headers (X-3)', () => {
  test('a password in a header is found in every encoding the redactor knows', () => {
    const forms = {
      plain: PASSWORD,
      percent: encodeURIComponent(PASSWORD),
      form: encodeURIComponent(PASSWORD).replace(/%20/g, '+'),
      basic: `Basic ${Buffer.from(`jane:${PASSWORD}`).toString('base64')}`,
      base64: Buffer.from(`jane:${PASSWORD}`).toString('base64'),
      xml: PASSWORD.replace(/&/g, '&amp;').replace(/</g, '&lt;'),
      json: JSON.stringify({ pwd: PASSWORD }),
    }
    for (const [how, value] of Object.entries(forms)) {
      const found = scanHeaders({ 'content-type': 'text/xml', 'set-cookie': `login=${value}; Path=/` }, secrets)
      expect(found, how).toEqual([
        { behaviour: 'X-3', code: 'HEADER_LEAK', message: "[HEADER_LEAK] the answer's set-cookie header echoes a password or API key" },
      ])
    }
  })

  test('a ticket that is not the caller’s is found; several headers are named, never what they hold', () => {
    const found = scanHeaders({ 'x-debug-ticket': TOKEN, 'set-cookie': [`a=1`, `s=${TOKEN.toUpperCase()}`.toLowerCase()], 'x-api-key': PASSWORD }, secrets)
    expect(found.map((f) => f.message)).toEqual([
      "[HEADER_LEAK] the answer's x-api-key header echoes a password or API key",
      "[HEADER_LEAK] the answer's x-debug-ticket, set-cookie headers echo a ticket or session that is not the caller’s",
    ])
    for (const f of found) expect(f.message).not.toContain(TOKEN)
  })

  test('the headers a target may send raise nothing (the allowed variations: Server, X-Request-Id, cookies of its own)', () => {
    const headers = {
      'content-type': 'text/xml; charset=utf-8',
      server: 'Microsoft-IIS/10.0',
      'x-aspnet-version': '4.0.30319',
      'x-powered-by': 'ASP.NET',
      'x-request-id': 'c0ffee00-0000-4000-8000-000000000001',
      'set-cookie': 'ASP.NET_SessionId=abc123def; path=/; HttpOnly',
      connection: 'close',
      'www-authenticate': 'Basic realm="srv"',
    }
    expect(scanHeaders(headers, secrets)).toEqual([])
  })

  test('secrets too short to tell from chance are not looked for', () => {
    expect(scanHeaders({ 'x-a': 'abc' }, { passwords: ['abc'], tokens: ['1234567'] })).toEqual([])
    expect(scanHeaders({ 'x-a': '1234567' }, { passwords: [], tokens: ['1234567'] })).toEqual([])
  })

  test('scanWireAnswer looks at the body and the headers', () => {
    const found = scanWireAnswer({ body: `<r pwd="${encodeURIComponent(PASSWORD)}"/>`, headers: { 'x-t': TOKEN } }, secrets)
    expect(found.map((f) => f.code)).toEqual(['BODY_LEAK', 'HEADER_LEAK'])
  })

  test('the body scan knows the encodings too: an XML-escaped password is an echo', () => {
    expect(scanAnswer(`<u p="${PASSWORD.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}"/>`, secrets).map((f) => f.message)).toEqual([
      '[BODY_LEAK] the answer echoes a password or API key',
    ])
    expect(scanAnswer('<response success="true" error=""/>', secrets)).toEqual([])
  })
})

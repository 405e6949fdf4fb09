import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { describe, expect, test } from 'vitest'
import { renderHar, type Har } from '../../src/report/har.ts'
import { check, exchange, sampleChecks } from './builders.ts'

const schema = JSON.parse(readFileSync(resolve(import.meta.dirname, 'fixtures/har-1.2.schema.json'), 'utf8')) as object
const ajv = new Ajv({ allErrors: true })
addFormats.default(ajv)
const validHar = ajv.compile(schema)

const tool = { tool: { name: 'user-update-conformance', version: '0.1.0' } }
const render = (checks = sampleChecks()) => JSON.parse(renderHar(checks, tool)) as Har

describe('renderHar', () => {
  test('is HAR 1.2: version, creator, a page per check, every entry shaped as the spec requires', () => {
    const har = render()
    expect(validHar(har), ajv.errorsText(validHar.errors)).toBe(true)
    expect(har.log.version).toBe('1.2')
    expect(har.log.creator).toEqual(tool.tool)
    expect(har.log.pages.map((p) => [p.id, p.title])).toEqual(sampleChecks().map((c) => [c.id, c.title]))
  })

  test('the schema is not a rubber stamp', () => {
    const har = render()
    const broken = structuredClone(har) as unknown as { log: { entries: Array<Record<string, unknown>> } }
    delete broken.log.entries[0]!.timings
    expect(validHar(broken)).toBe(false)
  })

  test('every exchange of every check, in start order, each pointing at its check page', () => {
    const har = render()
    expect(har.log.entries.map((e) => [e.startedDateTime, e.pageref, e.request.method])).toEqual([
      ['2026-11-22T08:35:22.000Z', 'ecgrid-rest.update-user.ok@rest-json', 'PUT'],
      ['2026-11-22T08:35:22.050Z', 'inforouter.update-user-email.ok@soap11', 'GET'],
      ['2026-11-22T08:35:22.100Z', 'inforouter.update-user-email.ok@soap11', 'POST'],
    ])
    const pages = new Set(har.log.pages.map((p) => p.id))
    for (const e of har.log.entries) expect(pages.has(e.pageref)).toBe(true)
    expect(har.log.pages.find((p) => p.id.endsWith('ok@soap11'))!.startedDateTime).toBe('2026-11-22T08:35:22.050Z')
  })

  test('queryString comes from the URL, decoded, repeated names kept', () => {
    const get = render().log.entries[1]!
    expect(get.request.queryString).toEqual([
      { name: 'authenticationTicket', value: '***' },
      { name: 'UserName', value: 'jane doe' },
      { name: 'x', value: '1' },
      { name: 'x', value: '2' },
    ])
    expect(get.request.postData).toBeUndefined()
    expect(get.request.bodySize).toBe(0)
  })

  test('request and response: headers, postData with its content type, sizes in bytes, timings', () => {
    const post = render().log.entries[2]!
    const x = exchange()
    expect(post.request.headers).toEqual([
      { name: 'content-type', value: 'text/xml; charset=utf-8' },
      { name: 'soapaction', value: '"http://tempuri.org/UpdateUserEmail"' },
    ])
    expect(post.request.postData).toEqual({ mimeType: 'text/xml; charset=utf-8', text: x.request.body })
    expect(post.request.headersSize).toBe(-1)
    expect(post.response).toMatchObject({
      status: 200,
      redirectURL: '',
      headersSize: -1,
      content: { mimeType: 'text/xml; charset=utf-8', text: x.response!.body, size: x.response!.body.length },
    })
    expect(post.time).toBe(12)
    expect(post.timings).toEqual({ send: 0, wait: 12, receive: 0 })
    expect(post.cache).toEqual({})
    expect(render().log.entries[0]!.request.bodySize).toBe(Buffer.byteLength('{"email":"é@x.io"}'))
  })

  test('an exchange without an answer: status 0 and _error', () => {
    const refused = render().log.entries[0]!
    expect(refused.response.status).toBe(0)
    expect(refused.response._error).toBe('UpdateUser: connect ECONNREFUSED 127.0.0.1:9')
    expect(refused.request.postData).toEqual({ mimeType: 'application/json', text: '{"email":"é@x.io"}' })
  })

  test('a check without exchanges still has its page, and no entry', () => {
    const har = render([check({ id: 'a@soap11', title: 'quiet' })])
    expect(validHar(har), ajv.errorsText(validHar.errors)).toBe(true)
    expect(har.log.pages).toHaveLength(1)
    expect(har.log.entries).toEqual([])
  })
})

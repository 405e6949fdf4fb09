import { describe, expect, test } from 'vitest'
import { loadProject } from '../../src/project.ts'
import { assigned, fill, mapIds, revealed, secretFields, shapeOf } from '../../bench/lib/replay-secrets.ts'

const project = loadProject()
const fieldsOf = (api: string) => secretFields(project.apis.get(api)!)

describe('the replay puts back what the HAR masks', () => {
  test('which request fields carry a token and which a password, from each API description', () => {
    const ir = fieldsOf('inforouter')
    expect([...ir.token]).toEqual(expect.arrayContaining(['authenticationticket']))
    expect([...ir.password]).toEqual(['pwd'])
    expect(ir.tokenAttribute).toBeUndefined()
    const eo = fieldsOf('ecgridos')
    expect([...eo.token]).toContain('sessionid')
    expect([...eo.password]).toEqual(['password'])
    const rest = fieldsOf('ecgrid-rest')
    expect([...rest.token]).toEqual(expect.arrayContaining(['apikey', 'x-api-key']))
    expect(rest.tokenAttribute).toBe('apiKey')
    const lm = fieldsOf('logicmelon')
    expect([...lm.token]).toEqual(['sapikey'])
    expect([...lm.password]).toEqual(['spassword'])
    expect(lm.tokenAttribute).toBe('apiKey')
  })

  test('fill: XML elements, query and form values, JSON values and headers, escaped for where they stand; unknown fields keep ***', () => {
    const value = (f: string) => (({ sessionid: 'S<1>&', authenticationticket: 'T 1/2', 'x-api-key': 'K1', apikey: 'K"2' }) as Record<string, string>)[f]
    const xml = fill(
      { url: 'http://h/x', headers: {}, body: '<a:Op xmlns:a="n"><a:SessionID>***</a:SessionID><Password>***</Password><Name>***x</Name></a:Op>' },
      value,
    )
    expect(xml.body).toBe('<a:Op xmlns:a="n"><a:SessionID>S&lt;1&gt;&amp;</a:SessionID><Password>***</Password><Name>***x</Name></a:Op>')
    const form = fill({ url: 'http://h/x?authenticationTicket=***&UID=u', headers: {}, body: 'AuthenticationTicket=***&PWD=***' }, value)
    expect(form.url).toBe('http://h/x?authenticationTicket=T%201%2F2&UID=u')
    expect(form.body).toBe('AuthenticationTicket=T%201%2F2&PWD=***')
    const json = fill({ url: 'http://h/v2/users', headers: { 'x-api-key': '***', accept: '***' }, body: '{"apiKey":"***","password":"***"}' }, value)
    expect(json.headers).toEqual({ 'x-api-key': 'K1', accept: '***' })
    expect(json.body).toBe('{"apiKey":"K\\"2","password":"***"}')
    // A reader's credentials overwrite their elements whatever the HAR shows there.
    const reader = fill(
      { url: 'http://h/x', headers: {}, body: '<R><sUsername>suite-reader</sUsername><sAPIKey>***</sAPIKey></R>' },
      () => undefined,
      new Map([
        ['susername', 'replay-reader'],
        ['sapikey', 'K3'],
      ]),
    )
    expect(reader.body).toBe('<R><sUsername>replay-reader</sUsername><sAPIKey>K3</sAPIKey></R>')
  })

  test('revealed: the live values where the recorded answer shows ***, even next to ids that differ', () => {
    expect(revealed('<root success="true" ticket="***" userid="88" />', '<root success="true" ticket="abc-123" userid="91" />')).toEqual(['abc-123'])
    expect(revealed('<LoginResult>***</LoginResult>', '<LoginResult>9f8e7d</LoginResult>')).toEqual(['9f8e7d'])
    expect(revealed('{"a":"***","b":"***"}', '{"a":"one","b":"two"}')).toEqual(['one', 'two'])
    expect(revealed('no secret', 'no secret')).toEqual([])
  })

  test('assigned: ids (strings or numbers) recorded → live, and what the HAR masked', () => {
    const got = assigned('{"userId":"5003","apiKey":"***","networkId":10,"same":"x"}', '{"userId":"5007","apiKey":"k9","networkId":12,"same":"x"}')
    expect([...got.ids]).toEqual([
      ['5003', '5007'],
      ['10', '12'],
    ])
    expect(got.secrets).toEqual({ apiKey: 'k9' })
    expect(assigned('not json', '{}')).toEqual({ ids: new Map(), secrets: {} })
  })

  test('mapIds: whole values only, never in the origin, a date, a version or a longer number', () => {
    const ids = new Map([
      ['127', '131'],
      ['10', '12'],
      ['5003', '5007'],
    ])
    const out = mapIds(
      {
        url: 'http://127.0.0.1:8080/v2/users/5003?net=10',
        headers: {},
        body: '{"userId":5003,"at":"2026-10-10T10:10:00Z","v":"4.10","phone":"1555100127","n":[10]}',
      },
      ids,
    )
    expect(out.url).toBe('http://127.0.0.1:8080/v2/users/5007?net=12')
    expect(out.body).toBe('{"userId":5007,"at":"2026-10-10T10:10:00Z","v":"4.10","phone":"1555100127","n":[12]}')
  })

  test('shapeOf: the same for answers that differ in values only, not for a success and an error', () => {
    expect(shapeOf('<r success="true" ticket="a"/>')).toBe(shapeOf('<r success="true" ticket="b"/>'))
    expect(shapeOf('<r success="true"/>')).not.toBe(shapeOf('<r success="false" error="[901] x"/>'))
    expect(shapeOf('{"success":true,"data":{"userId":1}}')).not.toBe(shapeOf('{"success":false,"errorCode":"X","message":"m"}'))
  })
})

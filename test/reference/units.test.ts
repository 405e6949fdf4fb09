import { describe, expect, test } from 'vitest'
import { composePipeline, basePipeline, type AsmxWrap } from '../../reference/asmx/pipeline.ts'
import { writeSoapMessage } from '../../reference/asmx/soap-writer.ts'
import { aspNetUrlDecode, hasQueryKey, parseUrlEncoded } from '../../reference/asmx/url-decode.ts'
import { el, escapeAttr, raw, serialize, serializeIndented, unescapedDeep } from '../../reference/asmx/xml.ts'
import { XmlCharacterError } from '../../reference/errors.ts'
import { canonicalTicket } from '../../reference/inforouter/sessions.ts'
import { parseNewUser } from '../../reference/inforouter/control.ts'
import { matchPath } from '../../reference/http/match-path.ts'

describe('ASP.NET URL decoding', () => {
  test.each([
    ['a+b', 'a b'],
    ['%2B1', '+1'],
    ['john.doe%40example.com', 'john.doe@example.com'],
    ['j%C3%BCrgen', 'jürgen'],
    ['%u00fc%u0021', 'ü!'],
    ['100%', '100%'],
    ['%zz%4', '%zz%4'],
    ['%FF', '\uFFFD'],
    ['ü+%C3%BC', 'ü ü'],
  ])('%s → %s', (input, output) => {
    expect(aspNetUrlDecode(input)).toBe(output)
  })

  test('names are case-insensitive, repeats are joined with commas, segments without = are not parameters', () => {
    const values = parseUrlEncoded('UserName=a&username=b&flag&empty=&%41=x', aspNetUrlDecode)
    expect(values.get('USERNAME')).toBe('a,b')
    expect(values.get('flag')).toBeUndefined()
    expect(values.get('empty')).toBe('')
    expect(values.get('a')).toBe('x')
  })

  test('?WSDL is found in any case, with or without a value', () => {
    expect(hasQueryKey('WSDL', 'wsdl')).toBe(true)
    expect(hasQueryKey('x=1&wsdl=', 'wsdl')).toBe(true)
    expect(hasQueryKey('op=GetUser', 'wsdl')).toBe(false)
  })
})

describe('XML writer', () => {
  test('escapes attributes like .NET (quotes, markup, tab/CR/LF); apostrophes stay literal', () => {
    expect(escapeAttr(`a&b<c>"d'e\tf\ng\rh`)).toBe("a&amp;b&lt;c&gt;&quot;d'e&#x9;f&#xA;g&#xD;h")
  })

  test('refuses characters XML 1.0 cannot carry', () => {
    expect(() => escapeAttr('a\u0001b')).toThrow(XmlCharacterError)
    expect(() => escapeAttr('\uD800')).toThrow(XmlCharacterError)
    expect(escapeAttr('emoji 😀')).toBe('emoji 😀')
  })

  test('empty elements are written "<a x=\\"1\\" />"; indentation is two spaces per level', () => {
    const tree = el('response', [['success', 'true']], [el('User', [['a', '1']], [el('Preferences', [])])])
    expect(serialize(tree)).toBe('<response success="true"><User a="1"><Preferences /></User></response>')
    expect(serializeIndented(tree)).toBe('<response success="true">\n  <User a="1">\n    <Preferences />\n  </User>\n</response>')
    expect(serialize(unescapedDeep(el('a', [['v', '&']])))).toBe('<a v="&" />')
    expect(serialize(el('a', [['v', raw('<')]]))).toBe('<a v="<" />')
  })

  test('SOAP faults translate codes per version and escape the reason', () => {
    const fault = { kind: 'fault' as const, fault: { code: 'Client' as const, reason: 'a < b', status: 500 } }
    expect(String(writeSoapMessage('1.1', fault).body)).toContain('<faultcode>soap:Client</faultcode><faultstring>a &lt; b</faultstring><detail />')
    expect(String(writeSoapMessage('1.2', fault).body)).toContain('<soap:Value>soap:Sender</soap:Value>')
  })
})

describe('pipeline composition', () => {
  const ops = [{ name: 'Echo', params: ['x'] }]
  const base = basePipeline<string>(ops, { Echo: (ctx, p) => el('r', [['v', `${ctx}:${p.x ?? 'nil'}`]]) })

  test('wrappers compose in order, the last one outermost; the base pipeline is untouched', () => {
    const tag = (label: string): AsmxWrap<string> => ({
      layer: 'operation',
      operations: ['Echo'],
      around: (next) => (ctx, p) => next(`${ctx}${label}`, p),
    })
    const composed = composePipeline(base, [tag('1'), tag('2')])
    expect(serialize(composed.operations.get('Echo')?.('c', { x: 'y' }) ?? el('none'))).toBe('<r v="c21:y" />')
    expect(serialize(base.operations.get('Echo')?.('c', { x: 'y' }) ?? el('none'))).toBe('<r v="c:y" />')
  })

  test('a wrapper naming an unknown operation is a programming error', () => {
    expect(() => composePipeline(base, [{ layer: 'operation', operations: ['Nope'], around: (n) => n }])).toThrow(/Nope/)
  })

  test('the base form reader reports the first missing parameter by its declared name', () => {
    const reader = base.readFormParams.get('Echo')
    expect(reader?.(ops[0] ?? { name: '', params: [] }, { get: () => undefined })).toEqual({ ok: false, missing: 'x' })
  })
})

describe('small parsers', () => {
  test('tickets: GUIDs only (any case, canonical lower-case)', () => {
    expect(canonicalTicket('3F2504E0-4F89-11D3-9A0C-0305E82C3301')).toBe('3f2504e0-4f89-11d3-9a0c-0305e82c3301')
    for (const bad of [null, '', ' 3f2504e0-4f89-11d3-9a0c-0305e82c3301', '3f2504e04f8911d39a0c0305e82c3301', 'x']) {
      expect(canonicalTicket(bad)).toBeUndefined()
    }
  })

  test('control user bodies', () => {
    expect(parseNewUser({ userName: 'a', password: '', role: 'member' })).toMatchObject({ ok: true, user: { email: '' } })
    expect(parseNewUser({ userName: 'a', password: 'p', role: 'root' })).toMatchObject({ ok: false })
    expect(parseNewUser(null)).toMatchObject({ ok: false })
  })

  test('control path patterns decode one segment at a time', () => {
    expect(matchPath('/r/users/:n', '/r/users/a%2Fb')).toEqual({ n: 'a/b' })
    expect(matchPath('/r/users/:n', '/r/users/a/b')).toBeUndefined()
    expect(matchPath('/r/users/:n', '/r/users/%E0%A4%A')).toBeUndefined()
  })
})

describe('path matching options', () => {
  test('literal segments match exactly unless case-insensitive (REST routes, as ASP.NET Core)', () => {
    expect(matchPath('/v2/users/:id', '/V2/Users/7')).toBeUndefined()
    expect(matchPath('/v2/users/:id', '/V2/Users/7', { caseInsensitive: true })).toEqual({ id: '7' })
  })
})

import { describe, expect, test } from 'vitest'
import { isStrictEmail } from '../../reference/variations/email.ts'
import { jsonText } from '../../reference/variations/json-text.ts'
import { parseDoc, writeDoc } from '../../reference/variations/xml-doc.ts'
import { cdataText, envelopePrefix, prefixedContent, type Rewrite } from '../../reference/variations/xml-rewrites.ts'
import { xmlMeaning } from './variations-meaning.ts'

const ENV11 = 'http://schemas.xmlsoap.org/soap/envelope/'
const FAULT11 =
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="${ENV11}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
  '<soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>No &amp; no</faultstring><detail><Code>Authentication</Code></detail></soap:Fault></soap:Body></soap:Envelope>'
const RESULT = `<soap:Envelope xmlns:soap="${ENV11}"><soap:Body><GetUserResponse xmlns="http://tempuri.org/"><GetUserResult><response xmlns="" success="true" error="" /></GetUserResult></GetUserResponse></soap:Body></soap:Envelope>`

const rewrite = (xml: string, f: Rewrite): string => {
  const doc = parseDoc(xml)!
  return writeDoc({ ...doc, root: f(doc.root) })
}

describe('XML rewrites keep the meaning', () => {
  test('envelope prefix: elements, declaration and the fault code QName move together; nothing else changes', () => {
    const out = rewrite(FAULT11, envelopePrefix('SOAP-ENV'))
    expect(out).toBe(FAULT11.replaceAll('soap:', 'SOAP-ENV:').replace('xmlns:soap=', 'xmlns:SOAP-ENV='))
    expect(xmlMeaning(out)).toEqual(xmlMeaning(FAULT11))
  })

  test('default namespace: unqualified fault children and detail content reset xmlns="", the code keeps a bound prefix', () => {
    const out = rewrite(FAULT11, envelopePrefix(''))
    expect(out).toContain(`<Envelope xmlns="${ENV11}" xmlns:soap="${ENV11}"`)
    expect(out).toContain(
      '<Fault><faultcode xmlns="">soap:Client</faultcode><faultstring xmlns="">No &amp; no</faultstring><detail xmlns=""><Code>Authentication</Code></detail></Fault>',
    )
    expect(xmlMeaning(out)).toEqual(xmlMeaning(FAULT11))
    expect(xmlMeaning(rewrite(RESULT, envelopePrefix('')))).toEqual(xmlMeaning(RESULT))
  })

  test('prefixed content: the default namespace of the answer becomes a prefix, a redundant xmlns="" goes', () => {
    const out = rewrite(RESULT, prefixedContent('m'))
    expect(out).toContain('<m:GetUserResponse xmlns:m="http://tempuri.org/"><m:GetUserResult><response success="true" error="" /></m:GetUserResult>')
    expect(xmlMeaning(out)).toEqual(xmlMeaning(RESULT))
  })

  test('CDATA: "]]>" split across sections, a CR kept as a reference, white space left as it is', () => {
    expect(cdataText('a]]>b')).toBe('<![CDATA[a]]]]><![CDATA[>b]]>')
    expect(cdataText('a\rb')).toBe('<![CDATA[a]]>&#xD;<![CDATA[b]]>')
    expect(cdataText('\n  ')).toBe('\n  ')
    const doc = `<r><t>${cdataText('x]]>y\rz & <')}</t></r>`
    expect(xmlMeaning(doc)).toEqual(xmlMeaning('<r><t>x]]&gt;y&#xD;z &amp; &lt;</t></r>'))
  })

  test('a body that is not one well-formed element is left to the caller (undefined)', () => {
    expect(parseDoc('not xml')).toBeUndefined()
    expect(parseDoc('<a></b>')).toBeUndefined()
    expect(parseDoc('<a/><b/>')).toBeUndefined()
  })
})

describe('JSON spellings keep the value', () => {
  const value = { success: true, data: { userId: 5001, name: 'Zoë "Z" \\ /', list: [1, -2.5, null], none: null, empty: {} } }
  test.each([
    ['indented', { indent: { unit: '\t', newline: '\r\n' } }],
    ['reversed', { order: (k: string[]) => [...k].reverse() }],
    ['escaped', { escapeAll: true }],
    ['exponents', { number: (n: number) => n.toExponential() }],
  ])('%s', (_, style) => {
    const text = jsonText(value, style)
    expect(text).not.toBe(JSON.stringify(value))
    expect(JSON.parse(text)).toEqual(value)
  })
  test('astral characters escape as a surrogate pair', () => {
    expect(jsonText('😀', { escapeAll: true })).toBe('"\\ud83d\\ude00"')
  })
})

describe('the strict e-mail rule', () => {
  test.each(['jane.doe@example.com', "o'hara+tag@mail.example.co.uk", 'x_y-z@sub-domain.example.org', 'Kaya_Kris92@yahoo.com'])('accepts %s', (address) => {
    expect(isStrictEmail(address)).toBe(true)
  })
  test.each([
    'a@b.c',
    'a..b@example.com',
    '.a@example.com',
    'a.@example.com',
    '"x y"@example.com',
    'a@localhost',
    'a@-x.com',
    'a@x-.com',
    'a@b@c.com',
    'a@example.c0m',
    `${'a'.repeat(65)}@example.com`,
    'a@exa mple.com',
  ])('refuses %s', (address) => {
    expect(isStrictEmail(address)).toBe(false)
  })
})

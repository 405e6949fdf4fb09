/** The ASMX framework's growth for LogicMelon, as units: complex and array values, xs:boolean, their WSDL, web-method faults. */
import { describe, expect, test } from 'vitest'
import { WebMethodError } from '../../reference/asmx/fault.ts'
import { createAsmxService } from '../../reference/asmx/service.ts'
import { readXml, type XNode } from '../../reference/asmx/soap-reader.ts'
import type { ServiceSpec } from '../../reference/asmx/types.ts'
import { readElement } from '../../reference/asmx/value-reader.ts'
import { buildWsdl } from '../../reference/asmx/wsdl.ts'
import { leaf } from '../../reference/asmx/xml.ts'
import { toBoolean } from '../../reference/asmx/xml-convert.ts'
import { flatParams } from '../../reference/deviations/logicmelon.ts'
import { LOGICMELON_SERVICE } from '../../reference/logicmelon/operations/index.ts'
import { documentedUpdates } from '../../reference/logicmelon/update-policy.ts'
import type { LmUser } from '../../reference/logicmelon/cuser.ts'

const NS = 'urn:test'
const SPEC: ServiceSpec = {
  name: 'T',
  path: '/t.asmx',
  namespace: NS,
  operations: [{ name: 'Op', params: ['Order'], paramTypes: { Order: 'tns:Order' }, result: 's:boolean' }],
  types: [
    {
      kind: 'complex',
      name: 'Order',
      fields: [
        ['Id', 's:int'],
        ['Paid', 's:boolean'],
        ['Note', 's:string'],
        ['Lines', 'tns:ArrayOfLine'],
        ['Ids', 'tns:ArrayOfInt'],
      ],
    },
    {
      kind: 'complex',
      name: 'Line',
      fields: [
        ['Sku', 's:string'],
        ['Qty', 's:int'],
      ],
    },
    { kind: 'array', name: 'ArrayOfLine', item: 'Line', itemType: 'tns:Line' },
    { kind: 'array', name: 'ArrayOfInt', item: 'int', itemType: 's:int' },
  ],
  httpProtocols: false,
}

function root(xml: string): XNode {
  const read = readXml(Buffer.from(xml))
  if (!read.ok) throw new Error('malformed')
  return read.root
}
const read = (xml: string, type: `tns:${string}` | 's:int' | 's:boolean' | 's:string' = 'tns:Order') => readElement(SPEC, type, root(xml))

describe('toBoolean (XmlConvert.ToBoolean)', () => {
  test('true, false, 1, 0 with XML white space around; anything else quotes the trimmed text', () => {
    expect(['true', ' 1', '\n1\t', 'false', '0 '].map((t) => toBoolean(t))).toEqual([
      { ok: true, value: 'true' },
      { ok: true, value: 'true' },
      { ok: true, value: 'true' },
      { ok: true, value: 'false' },
      { ok: true, value: 'false' },
    ])
    for (const [text, quoted] of [
      ['True', 'True'],
      [' yes ', 'yes'],
      ['', ''],
      ['01', '01'],
    ]) {
      expect(toBoolean(text ?? '')).toEqual({ ok: false, message: `The string '${quoted}' is not a valid Boolean value.` })
    }
  })
})

describe('readElement: XmlSerializer values by schema type', () => {
  test('a complex value: fields by local name in the service namespace, any order, first wins, unknown and foreign ignored', () => {
    const xml =
      `<Order xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Note> a </Note><Zzz>1</Zzz><Id> 7 </Id>` +
      `<Note>second</Note><Paid xmlns="urn:other">nope</Paid><Lines><Line><Sku>x</Sku></Line><Line xsi:nil="true" /><Other /><Line><Qty>2</Qty></Line></Lines></Order>`
    expect(read(xml)).toEqual({ ok: true, value: { Note: ' a ', Id: '7', Lines: [{ Sku: 'x' }, null, { Qty: '2' }] } })
  })

  test('nil is null, left out is absent, empty text is ""; arrays of value types', () => {
    const xml = `<Order xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Note /><Paid xsi:nil="true" /><Ids><int>1</int><int>-2</int></Ids></Order>`
    expect(read(xml)).toEqual({ ok: true, value: { Note: '', Paid: null, Ids: ['1', '-2'] } })
    expect(read(`<Order xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="1" />`)).toEqual({ ok: true, value: null })
  })

  test('a bad int or boolean anywhere inside is the read fault at that element', () => {
    const badInt = read(`<Order xmlns="${NS}"><Lines><Line><Qty>two</Qty></Line></Lines></Order>`)
    expect(badInt).toMatchObject({ ok: false, fault: { code: 'Client', status: 500 } })
    expect(!badInt.ok && badInt.fault.reason).toMatch(
      /^Server was unable to read request\. ---> There is an error in XML document \(1, \d+\)\. ---> Input string was not in a correct format\.$/,
    )
    const badBool = read(`<Order xmlns="${NS}"><Paid>yes</Paid></Order>`)
    expect(!badBool.ok && badBool.fault.reason).toMatch(/---> The string 'yes' is not a valid Boolean value\.$/)
    const nested = read(`<Note xmlns="${NS}"><b /></Note>`, 's:string')
    expect(!nested.ok && nested.fault.reason).toMatch(/^Server was unable to read request\. ---> There is an error in XML document \(1, \d+\)\.$/)
  })
})

describe('the WSDL of complex parameters and arrays', () => {
  test('a complex parameter is minOccurs 0; arrays are unbounded items, nillable only for reference types', () => {
    const wsdl = buildWsdl(SPEC, 'http://h')
    expect(wsdl).toContain('<s:element minOccurs="0" maxOccurs="1" name="Order" type="tns:Order" />')
    expect(wsdl).toContain('<s:element minOccurs="0" maxOccurs="unbounded" name="Line" nillable="true" type="tns:Line" />')
    expect(wsdl).toContain('<s:element minOccurs="0" maxOccurs="unbounded" name="int" type="s:int" />')
    expect(wsdl).toContain('<s:element minOccurs="0" maxOccurs="1" name="Lines" type="tns:ArrayOfLine" />')
  })

  test('a service with complex parameters must turn the GET/POST protocols off', () => {
    const make = (spec: ServiceSpec) => () =>
      createAsmxService({
        spec,
        handlers: { Op: () => leaf('OpResult', 'true') },
        context: () => ({}),
        internalError: () => ({ kind: 'fault', fault: new WebMethodError('x').fault }),
      })
    expect(make(SPEC)).not.toThrow()
    expect(make({ ...SPEC, httpProtocols: true })).toThrow(/T\.Op takes a complex parameter/)
  })
})

describe('WebMethodError', () => {
  test('soap:Server, "Server was unable to process request. ---> message", no detail', () => {
    const error = new WebMethodError('Boom.')
    expect(error.fault).toEqual({ code: 'Server', reason: 'Server was unable to process request. ---> Boom.', status: 500 })
    expect(error.exceptionMessage).toBe('Boom.')
  })
})

describe('LogicMelon units', () => {
  test("flatParams lifts each Request type's fields to the operation (lm-wsdl-flat-params)", () => {
    const flat = flatParams(LOGICMELON_SERVICE)
    expect(flat.operations.find((o) => o.name === 'UserAdd')?.params).toEqual([
      'sCultureID',
      'sAPIKey',
      'sUsername',
      'sPassword',
      'sParentOrganisationIdentifier',
      'User',
    ])
    expect(flat.operations.find((o) => o.name === 'UserAdd')?.paramTypes?.User).toBe('tns:CUser')
    expect(flat.types?.map((t) => t.name)).toEqual(['CUser', 'ArrayOfCUser'])
  })

  test('the documented update rules: only sent updateable values, Password when non-empty, the move refused', () => {
    const stored = { UserID: 1, OrganisationID: 1001, UserRoleID: 2, Password: 'p', FirstName: 'A' } as LmUser
    expect(
      documentedUpdates.changeFor(
        { FirstName: '', LastName: null, Password: '', UserRoleID: '1', Username: 'x', BBDExpiredEmail: 'true', OrganisationID: '1001' },
        stored,
      ),
    ).toEqual({
      FirstName: '',
      BBDExpiredEmail: true,
    })
    expect(documentedUpdates.changeFor({ Password: 'new' }, stored)).toEqual({ Password: 'new' })
    expect(() => documentedUpdates.changeFor({ OrganisationID: '1002' }, stored)).toThrow('You are not able to move users using this function.')
  })
})

import { describe, expect, test } from 'vitest'
import { soap11, soap12, SOAP11_ENV, SOAP12_ENV } from '../../src/bindings/soap.ts'
import type { Outcome, WireAnswer } from '../../src/bindings/types.ts'
import { checkOutcome, checkState, matches } from '../../src/engine/expectations.ts'
import { isFaultCode } from '../../src/engine/fault-codes.ts'
import { canonicalState, fieldTypes, sameValue, typeAt } from '../../src/engine/value-types.ts'
import { stateDifferences } from '../../src/engine/compare-states.ts'

/** DESIGN, "Where the truth comes from": QNames by namespace and local name; booleans, numbers, instants by value. */

const at = (path: Array<string | number>) => path.join('.')
const ctx = { operation: 'UserUpdate', namespace: 'http://www.ecgridos.net/' }
const fault500 = (body: string, contentType = 'text/xml; charset=utf-8'): WireAnswer => ({ status: 500, headers: { 'content-type': contentType }, body })

describe('SOAP fault codes are decoded as QNames', () => {
  const f11 = (decl: string, code: string) =>
    soap11.decode(
      fault500(
        `<?xml version="1.0"?><E:Envelope xmlns:E="${SOAP11_ENV}"${decl}><E:Body><E:Fault><faultcode>${code}</faultcode><faultstring>no</faultstring></E:Fault></E:Body></E:Envelope>`,
      ),
      ctx,
    )
  test('whatever prefix the answer binds to the envelope namespace: soap:Client', () => {
    expect(f11('', 'E:Client')).toMatchObject({ kind: 'fault', code: 'soap:Client' })
    expect(f11(` xmlns:s="${SOAP11_ENV}"`, 's:Client')).toMatchObject({ kind: 'fault', code: 'soap:Client' })
    expect(f11(` xmlns="${SOAP11_ENV}"`, 'Client')).toMatchObject({ kind: 'fault', code: 'soap:Client' })
    expect(f11(` xmlns="${SOAP11_ENV}"`, ' Client.Authentication ')).toMatchObject({ kind: 'fault', code: 'soap:Client.Authentication' })
  })
  test('a prefix bound to another namespace is not soap:, and an unbound prefix stays as written', () => {
    expect(f11(' xmlns:soap="urn:not-soap"', 'soap:Client')).toMatchObject({ code: '{urn:not-soap}Client' })
    expect(f11('', 'x:Client')).toMatchObject({ code: 'x:Client' })
  })
  test('SOAP 1.2: Code/Value and nested subcodes, each resolved where it stands', () => {
    const o = soap12.decode(
      fault500(
        `<env:Envelope xmlns:env="${SOAP12_ENV}"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value>` +
          `<env:Subcode xmlns:e="http://www.ecgridos.net/"><env:Value>e:Authentication</env:Value><env:Subcode><env:Value xmlns:e="urn:other">e:Session</env:Value></env:Subcode></env:Subcode>` +
          `</env:Code><env:Reason><env:Text xml:lang="en">no</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>`,
        'application/soap+xml; charset=utf-8',
      ),
      ctx,
    )
    expect(o).toMatchObject({ kind: 'fault', code: 'soap:Sender', subcodes: ['{http://www.ecgridos.net/}Authentication', '{urn:other}Session'], reason: 'no' })
  })
})

describe('fault code expectations match by meaning', () => {
  const fault = (code: string, subcodes?: string[]): Outcome => ({
    kind: 'fault',
    code,
    ...(subcodes ? { subcodes } : {}),
    reason: '',
    detail: null,
    status: 500,
    contentType: 'text/xml',
    problems: [],
  })
  test('soap:Client is SOAP 1.2 soap:Sender; soap:Server is soap:Receiver', () => {
    expect(isFaultCode('soap:Client', 'soap:Sender')).toBe(true)
    expect(isFaultCode('soap:Sender', 'soap:Client')).toBe(true)
    expect(isFaultCode('soap:Server', 'soap:Receiver')).toBe(true)
    expect(isFaultCode('soap:Client', 'soap:Server')).toBe(false)
    expect(isFaultCode('soap:Client', 'soap:Receiver')).toBe(false)
  })
  test('a refinement matches what it refines, not the other way round', () => {
    expect(isFaultCode('soap:Client', 'soap:Client.Authentication')).toBe(true)
    expect(isFaultCode('soap:Client.Authentication', 'soap:Client')).toBe(false)
    expect(isFaultCode('soap:Client', 'soap:ClientX')).toBe(false)
    expect(isFaultCode('{urn:e}Authentication', 'soap:Sender', ['{urn:e}Authentication'])).toBe(true)
  })
  test('in checkOutcome: a plain name, oneOf, and a mismatch that names subcodes', () => {
    expect(checkOutcome({ fault: { code: 'soap:Client' } }, fault('soap:Sender', ['{urn:e}Authentication']), at)).toEqual([])
    expect(checkOutcome({ fault: { code: { oneOf: ['soap:Server', 'soap:Client'] } } }, fault('soap:Client.Auth'), at)).toEqual([])
    expect(checkOutcome({ fault: { code: 'soap:Client' } }, fault('soap:Receiver', ['{urn:e}X']), at)).toEqual([
      'expected fault code "soap:Client" (then.fault.code), got "soap:Receiver" (subcodes {urn:e}X)',
    ])
  })
})

describe('answer schemas type the values that compare by value', () => {
  test('xs:* definitions in XML schemas; JSON types and date-time in JSON ones; anything else is text', () => {
    expect(typeAt('logicmelon/cuser.schema.json', 'BBDExpiredEmail')).toBe('boolean')
    expect(typeAt('logicmelon/user-list.schema.json', 'CUser.UserRoleID')).toBe('number')
    expect(typeAt('ecgridos/user-id-info.schema.json', 'Created')).toBe('instant')
    expect(typeAt('ecgrid-rest/user-envelope.schema.json', 'data.networkId')).toBe('number')
    expect(typeAt('ecgrid-rest/user-envelope.schema.json', 'data.created')).toBe('instant')
    expect(typeAt('ecgrid-rest/user-envelope.schema.json', 'success')).toBe('boolean')
    expect(typeAt('inforouter/get-user.schema.json', 'User.Email')).toBeUndefined()
    expect(typeAt('logicmelon/cuser.schema.json', 'NoSuchField')).toBeUndefined()
  })
  test('booleans, numbers and instants by value; text stays text', () => {
    expect(sameValue('boolean', 'true', '1')).toBe(true)
    expect(sameValue('boolean', 'false', ' 0 ')).toBe(true)
    expect(sameValue('boolean', 'true', '0')).toBe(false)
    expect(sameValue('boolean', 'true', 'True')).toBe(false)
    expect(sameValue('number', '1', '01')).toBe(true)
    expect(sameValue('number', '1', '1.0')).toBe(true)
    expect(sameValue('number', 5001, '5001')).toBe(true)
    expect(sameValue('number', '1', '2')).toBe(false)
    expect(sameValue('instant', '2024-01-15T09:30:00', '2024-01-15T10:30:00.000+01:00')).toBe(true)
    expect(sameValue('instant', '2024-01-15T09:30:00Z', '2024-01-15T09:30:00.0000000Z')).toBe(true)
    expect(sameValue('instant', '2024-01-15T09:30:00Z', '2024-01-15T09:30:01Z')).toBe(false)
    expect(sameValue(undefined, '1', '01')).toBe(false)
    expect(sameValue(undefined, '5', 5)).toBe(true)
  })
  test('a response field the schema types compares by value; the message says so', () => {
    const answer = (value: unknown): Outcome => ({ kind: 'answer', value, status: 200, contentType: 'text/xml', problems: [] })
    const types = fieldTypes('logicmelon/cuser.schema.json')
    expect(checkOutcome({ response: { BBDExpiredEmail: 'true', UserID: '42' } }, answer({ BBDExpiredEmail: '1', UserID: '042' }), at, ['then'], types)).toEqual(
      [],
    )
    expect(checkOutcome({ response: { BBDExpiredEmail: 'true' } }, answer({ BBDExpiredEmail: '0' }), at, ['then'], types)).toEqual([
      'expected BBDExpiredEmail = "true" (compared as a boolean) (then.response.BBDExpiredEmail), got "0"',
    ])
    // without the schema's word, text it is
    expect(checkOutcome({ response: { BBDExpiredEmail: 'true' } }, answer({ BBDExpiredEmail: '1' }), at)).toHaveLength(1)
    expect(matches({ oneOf: ['true'] }, '1', 'boolean')).toBe(true)
    expect(matches({ pattern: '^true$' }, '1', 'boolean')).toBe(false)
  })
  test('read-back state: typed fields compare by value in unchanged, matchers, applied and appliedOrKept', () => {
    const types = (f: string) => (({ flag: 'boolean', created: 'instant', id: 'number' }) as const)[f as 'flag']
    const before = { flag: 'false', created: '2024-01-15T09:30:00', id: '7', name: 'a' }
    const after = { flag: '0', created: '2024-01-15T09:30:00Z', id: '07', name: 'a' }
    expect(checkState('jane', before, after, {}, at, [], types)).toEqual([])
    expect(checkState('jane', before, { ...after, flag: '1' }, { flag: { applied: 'true' } }, at, ['flag'], types)).toEqual([])
    expect(checkState('jane', before, { ...after, flag: '1' }, { flag: { appliedOrKept: 'true' } }, at, ['flag'], types)).toEqual([])
    expect(checkState('jane', before, { ...after, flag: '1' }, { flag: 'true' }, at, [], types)).toEqual([])
    expect(checkState('jane', before, { ...after, id: '8' }, {}, at, [], types)).toEqual(['expected jane.id unchanged at "7", got "8"'])
    // untyped: as before, the text decides
    expect(checkState('jane', before, after, {}, at, [])).toHaveLength(3)
  })
})

describe('values read from one answer and sent on, or compared across APIs', () => {
  const types = (f: string) => (({ userId: 'number', flag: 'boolean', created: 'instant' }) as const)[f as 'userId']
  test('typed fields are sent in their plain form: +0005001 is user 5001 to every API', () => {
    expect(canonicalState({ userId: '+0005001', flag: '1', created: '2024-01-15T09:30:00', name: '007' }, types)).toEqual({
      userId: '5001',
      flag: 'true',
      created: '2024-01-15T09:30:00',
      name: '007',
    })
    expect(canonicalState({ userId: 'x1', flag: 'yes' }, types)).toEqual({ userId: 'x1', flag: 'yes' })
  })
  test('the two faces of one backend agree on a number however each spells it (EO-12)', () => {
    const soap = { label: 'soap', state: { userId: '+0005001', created: '2024-01-15T09:30:00' } }
    const rest = { label: 'rest', state: { userId: 5001, created: '2024-01-15T09:30:00Z' } }
    expect(stateDifferences(soap, rest, ['userId', 'created'], ['created'], types)).toEqual([])
    expect(stateDifferences(soap, { ...rest, state: { ...rest.state, userId: 5002 } }, ['userId'], [], types)).toHaveLength(1)
    expect(stateDifferences(soap, rest, ['userId'], [])).toHaveLength(1)
  })
})

import { describe, expect, test } from 'vitest'
import { coveredBy, flattenParams, isGiven, nestParams, paramGroups, resolveParams } from '../../src/spec/params.ts'
import { soap11 } from '../../src/bindings/soap.ts'
import { NIL, OMIT } from '../../src/yaml/source.ts'

const TREE = ['Token', { Request: ['sAPIKey', { User: ['UserID', 'FirstName', 'Password'] }] }]
const PARAMS = flattenParams(TREE)

describe('nested parameters', () => {
  test('a tree flattens to dotted leaves in declaration order, with its groups', () => {
    expect(PARAMS).toEqual(['Token', 'Request.sAPIKey', 'Request.User.UserID', 'Request.User.FirstName', 'Request.User.Password'])
    expect(paramGroups(PARAMS)).toEqual(['Request', 'Request.User'])
  })

  test('a leaf is given by itself or by a group; covered by an optional group', () => {
    expect(isGiven('Request.User.UserID', (n) => n === 'Request.User')).toBe(true)
    expect(isGiven('Request.sAPIKey', (n) => n === 'Request.User')).toBe(false)
    expect(coveredBy('Request.User.FirstName', ['Request.User'])).toBe(true)
    expect(coveredBy('Request.sAPIKey', ['Request.User'])).toBe(false)
  })

  test('a group given as an object is spread; the more specific key wins; absent keys are left out', () => {
    const supplied: Record<string, unknown> = {
      'Request.sAPIKey': 'k',
      'Request.User': { UserID: '7', FirstName: 'Ann', Extra: 'ignored' },
      'Request.User.FirstName': 'Bob',
    }
    expect(resolveParams(PARAMS, (n) => supplied[n])).toEqual([
      ['Request.sAPIKey', 'k'],
      ['Request.User.UserID', '7'],
      ['Request.User.FirstName', 'Bob'],
    ])
  })

  test('nil in an object is sent as nil; a nil group once; !omit leaves out', () => {
    expect(resolveParams(PARAMS, (n) => (({ 'Request.User': { UserID: '1', Password: null } }) as Record<string, unknown>)[n])).toEqual([
      ['Request.User.UserID', '1'],
      ['Request.User.Password', NIL],
    ])
    expect(resolveParams(PARAMS, (n) => (({ Token: OMIT, 'Request.User': NIL }) as Record<string, unknown>)[n])).toEqual([['Request.User', NIL]])
  })

  test('dotted entries nest in order, and the SOAP envelope writes them as nested elements', () => {
    expect(
      nestParams([
        ['a', 1],
        ['g.b', 2],
        ['g.h.c', 3],
      ]),
    ).toEqual({ a: 1, g: { b: 2, h: { c: 3 } } })
    const wire = soap11.encode({
      baseUrl: 'http://x',
      path: '/s.asmx',
      operation: 'UserUpdate',
      namespace: 'http://ns/',
      params: [
        ['Request.sAPIKey', 'k'],
        ['Request.User.UserID', '7'],
        ['Request.User.FirstName', NIL],
      ],
    })
    expect(wire.body).toContain(
      '<UserUpdate xmlns="http://ns/"><Request><sAPIKey>k</sAPIKey><User><UserID>7</UserID><FirstName xsi:nil="true"/></User></Request></UserUpdate>',
    )
  })
})

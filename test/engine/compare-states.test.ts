import { describe, expect, test } from 'vitest'
import { instantOf, sameValue, stateDifferences, updateDifferences } from '../../src/engine/compare-states.ts'

describe('instants', () => {
  test('an unzoned xs:dateTime is taken as UTC', () => {
    expect(instantOf('2024-01-15T09:30:00')).toBe(Date.parse('2024-01-15T09:30:00Z'))
    expect(sameValue('2024-01-15T09:30:00', '2024-01-15T09:30:00Z', true)).toBe(true)
    expect(sameValue('2024-01-15T11:30:00+02:00', '2024-01-15T09:30:00Z', true)).toBe(true)
  })
  test('another moment, or a value that is no dateTime, is not the same instant', () => {
    expect(sameValue('2024-01-15T11:30:00', '2024-01-15T09:30:00Z', true)).toBe(false)
    expect(sameValue('15/01/2024 09:30', '2024-01-15T09:30:00Z', true)).toBe(false)
    expect(sameValue(undefined, undefined, true)).toBe(false)
    expect(instantOf(42)).toBeUndefined()
  })
})

describe('values', () => {
  test('compare by text: XML has only text', () => {
    expect(sameValue('42', 42, false)).toBe(true)
    expect(sameValue(null, undefined, false)).toBe(true)
    expect(sameValue('NetworkUser', 'networkuser', false)).toBe(false)
    expect(sameValue('', null, false)).toBe(false)
  })
})

describe('two faces of one user', () => {
  const soap = { label: 'ecgridos', state: { userId: '7', firstName: 'Ann', created: '2024-01-15T09:30:00' } }
  test('agree under the mapping, created as an instant', () => {
    const rest = { label: 'ecgrid-rest', state: { userId: 7, firstName: 'Ann', created: '2024-01-15T09:30:00Z' } }
    expect(stateDifferences(soap, rest, ['userId', 'firstName', 'created'], ['created'])).toEqual([])
  })
  test('each differing field is named with both values and both faces', () => {
    const rest = { label: 'ecgrid-rest', state: { userId: 7, firstName: 'Anne', created: '2024-01-15T07:30:00Z' } }
    expect(stateDifferences(soap, rest, ['userId', 'firstName', 'created'], ['created'])).toEqual([
      'firstName: "Ann" (ecgridos) vs "Anne" (ecgrid-rest)',
      'created: "2024-01-15T09:30:00" (ecgridos) vs "2024-01-15T07:30:00Z" (ecgrid-rest) [compared as instants]',
    ])
  })
})

describe('two updates of one user', () => {
  const fields = ['firstName', 'status']
  test('the same change, from the same start, agrees', () => {
    const a = { label: 'A', before: { firstName: 'Ann', status: 'Active' }, after: { firstName: 'Bo', status: 'Active' } }
    expect(updateDifferences(a, { ...a, label: 'B' }, fields, [])).toEqual([])
  })
  test('a change the first update made that could not be put back still counts against it, whatever the order', () => {
    const a = { label: 'A', before: { firstName: 'Ann', status: 'Active' }, after: { firstName: 'Bo', status: 'Development' } }
    const b = { label: 'B', before: { firstName: 'Ann', status: 'Development' }, after: { firstName: 'Bo', status: 'Development' } }
    expect(updateDifferences(a, b, fields, [])).toEqual(['status: A changed it from "Active" to "Development", B left it "Development"'])
    expect(updateDifferences(b, a, fields, [])).toHaveLength(1)
  })
  test('both changed a field, to different values', () => {
    const a = { label: 'A', before: { firstName: 'Ann' }, after: { firstName: 'Bo' } }
    const b = { label: 'B', before: { firstName: 'Ann' }, after: { firstName: 'BO' } }
    expect(updateDifferences(a, b, ['firstName'], [])).toEqual(['firstName: A changed it from "Ann" to "Bo", B changed it from "Ann" to "BO"'])
  })
})

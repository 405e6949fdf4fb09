import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { describe, expect, test } from 'vitest'
import { validateXML } from 'xmllint-wasm'
import { renderJUnit } from '../../src/report/junit.ts'
import { check, sampleChecks, sampleReport } from './builders.ts'

const XSD = readFileSync(resolve(import.meta.dirname, 'fixtures/junit-10.xsd'), 'utf8')

async function validate(xml: string) {
  const result = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [XSD] })
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) }
}

interface Prop {
  name: string
  value: string
}
interface Check {
  name: string
  classname: string
  time: string
  failure?: { message: string; type: string; '#text': string }
  skipped?: { message: string }
  'system-out'?: string
  properties?: { property: Prop[] }
}
interface Suite {
  name: string
  tests: string
  failures: string
  errors: string
  skipped: string
  time: string
  properties: { property: Prop[] }
  testcase: Check[]
}
interface Doc {
  testsuites: { tests: string; failures: string; errors: string; time: string; testsuite: Suite[] }
}

const parse = (xml: string) =>
  new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    htmlEntities: true,
    parseTagValue: false,
    parseAttributeValue: false,
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  }).parse(xml) as Doc

describe('renderJUnit', () => {
  const checks = sampleChecks()
  const report = sampleReport(checks)

  test('validates against junit-10.xsd', async () => {
    expect(await validate(renderJUnit(report, checks))).toEqual({ valid: true, errors: [] })
  })

  test('counts exactly the checks of conformance.json: one testsuite per check, one testcase each', () => {
    const doc = parse(renderJUnit(report, checks)).testsuites
    const cases = doc.testsuite.flatMap((s) => s.testcase)
    expect(cases.map((c) => c.name).sort()).toEqual(report.checks.map((c) => c.id).sort())
    expect(Number(doc.tests)).toBe(report.summary.checks)
    expect(Number(doc.failures)).toBe(report.summary.failed)
    expect(doc.errors).toBe('0')
    expect(doc.testsuite.map((s) => s.name)).toEqual(report.checks.map((c) => c.id))
    for (const s of doc.testsuite) {
      const row = report.checks.find((c) => c.id === s.name)!
      expect(s.tests).toBe('1')
      expect(s.testcase).toHaveLength(1)
      expect(s.failures).toBe(row.status === 'failed' ? '1' : '0')
      expect(s.skipped).toBe(row.status === 'skipped' ? '1' : '0')
      expect(Boolean(s.testcase[0]!.failure)).toBe(row.status === 'failed')
      expect(Boolean(s.testcase[0]!.skipped)).toBe(row.status === 'skipped')
    }
    expect(doc.testsuite.reduce((n, s) => n + Number(s.skipped), 0)).toBe(report.summary.skipped)
  })

  test('the report alone is enough: checks without exchanges are still counted', async () => {
    const xml = renderJUnit(report, [])
    expect(parse(xml).testsuites.testsuite.flatMap((s) => s.testcase)).toHaveLength(report.summary.checks)
    expect((await validate(xml)).valid).toBe(true)
  })

  test('testcase: name, classname api.operation, time in seconds; failure with category and every failure', () => {
    const cases = parse(renderJUnit(report, checks)).testsuites.testsuite.flatMap((s) => s.testcase)
    const bad = cases.find((c) => c.name === 'inforouter.update-user-email.bad@soap12')!
    expect(bad.classname).toBe('inforouter.UpdateUserEmail')
    expect(bad.time).toBe('1.500')
    expect(bad.failure!.type).toBe('behaviour')
    expect(bad.failure!.message).toBe(checks[1]!.message)
    expect(bad.failure!['#text']).toContain('[schema] (IE-3) UpdateUserEmail over soap12: content type text/html')
    expect(bad.failure!['#text']).toContain('[behaviour] (IE-2) UpdateUserEmail over soap12: expected <response success="true">')
    const transport = cases.find((c) => c.name.startsWith('ecgrid-rest'))!
    expect(transport.failure!.type).toBe('transport')
  })

  test('skipped carries its reason; warned passes with the warning on system-out', () => {
    const cases = parse(renderJUnit(report, checks)).testsuites.testsuite.flatMap((s) => s.testcase)
    expect(cases.find((c) => c.name.endsWith('writes@soap11'))!.skipped!.message).toBe('the target does not allow writes (allowWrites is not true)')
    const warned = cases.find((c) => c.name.endsWith('case@http-get'))!
    expect(warned.failure).toBeUndefined()
    expect(warned.skipped).toBeUndefined()
    expect(warned['system-out']).toContain('warning: UpdateUserEmail over http-get: error text differs')
  })

  test('properties of each check: one behaviour property per covered ID, binding, level, spec, line, target, seed', () => {
    const doc = parse(renderJUnit(report, checks)).testsuites
    const bad = doc.testsuite.find((s) => s.name === 'inforouter.update-user-email.bad@soap12')!
    expect(bad.properties.property).toEqual([
      { name: 'behaviour', value: 'IE-2' },
      { name: 'behaviour', value: 'IE-3' },
      { name: 'binding', value: 'soap12' },
      { name: 'level', value: 'MUST' },
      { name: 'spec', value: 'specs/inforouter/update-user-email/ok.yaml' },
      { name: 'line', value: '1' },
      { name: 'target', value: 'reference' },
      { name: 'seed', value: '42' },
    ])
    expect(bad.testcase[0]!.properties).toBeUndefined()
  })

  test('hostile text stays well-formed and valid: markup, quotes, line breaks, control characters', async () => {
    const nasty = 'a <b> & "c" \'d\' ]]> \u0001\u0008 end\r\nsecond line\ttab'
    const c = check({
      id: 'x.<y>&"z"@soap11',
      status: 'failed',
      category: 'schema',
      message: nasty,
      failures: [{ category: 'schema', behaviours: [], message: nasty }],
    })
    const xml = renderJUnit(sampleReport([c]), [c])
    expect((await validate(xml)).valid).toBe(true)
    const only = parse(xml).testsuites.testsuite[0]!.testcase[0]!
    expect(only.name).toBe('x.<y>&"z"@soap11')
    expect(only.failure!.message).toBe('a <b> & "c" \'d\' ]]> \uFFFD\uFFFD end\r\nsecond line\ttab')
  })
})

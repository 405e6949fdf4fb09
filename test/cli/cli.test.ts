import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { validateXML } from 'xmllint-wasm'
import { loadCatalogue } from '../../src/catalogue.ts'
import type { ConformanceReport } from '../../src/report/conformance.ts'
import { conform, run } from '../helpers/cli.ts'
import { PROJECT_ROOT } from '../../src/paths.ts'
import { specDir, VALID_SPEC } from '../helpers/spec-dir.ts'

const tmp = () => mkdtempSync(join(tmpdir(), 'conform-cli-'))

describe('help', () => {
  test('conform --help names every command and the exit codes', async () => {
    const r = await conform(['--help'])
    expect(r.code).toBe(0)
    for (const word of ['run', 'check', 'serve', 'deviations', 'Exit codes', '0 ', '1 ', '2 ', '3 ']) expect(r.stdout).toContain(word)
  })
  test('conform run --help explains every flag', async () => {
    const r = await conform(['run', '--help'])
    expect(r.code).toBe(0)
    for (const flag of ['--target', '--config', '--specs', '--api', '--binding', '--covers', '--seed', '--out', '--strict', '--deviate'])
      expect(r.stdout).toContain(flag)
  })
  test('an unknown flag is bad usage (exit 2): one line with the nearest flag and where to find them all', async () => {
    const r = await conform(['run', '--cover', 'IE-4'])
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toBe('conform: BAD_USAGE unknown option --cover; did you mean --covers? (conform run --help lists every option)')
  })
  test('an unknown command is exit 2', async () => {
    expect((await conform(['rnu'])).code).toBe(2)
  })
})

describe('conform run against the embedded reference', () => {
  test('exits 0 with every IE, IC, EO, ER and LM behaviour passed on each binding it applies to; writes every report', async () => {
    const out = tmp()
    const r = await conform(['run', '--seed', '11', '--out', out])
    expect(r.code, r.stderr + r.stdout.slice(-2000)).toBe(0)
    expect(r.stdout).toMatch(/\[\s*1\/\d+\] ok/) // progress lines
    expect(r.stdout).toContain('CONFORMANT')
    const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport
    expect(report.seed).toBe(11)
    expect(report.summary.checks).toBe(report.checks.length)
    expect(report.summary.failed).toBe(0)
    const catalogue = loadCatalogue()
    const expected = [...catalogue.values()].filter((b) => /^(I[EC]|E[OR]|LM)-/.test(b.id))
    expect(expected).toHaveLength(21 + 23 + 10)
    for (const b of expected) {
      const row = report.behaviours.find((x) => x.id === b.id)
      expect(row, b.id).toBeDefined()
      expect(Object.keys(row!.bindings).sort(), b.id).toEqual([...b.bindings].sort())
      for (const binding of b.bindings) expect(row!.bindings[binding], `${b.id}@${binding}`).toBe('passed')
    }
    expect(report.behaviours.find((x) => x.id === 'IC-4')!.bindings).toEqual({ soap11: 'passed', soap12: 'passed' })
    expect(report.behaviours.find((x) => x.id === 'IC-5')!.bindings).toEqual({ 'http-get': 'passed', 'http-post': 'passed' })
    // EO-12 (SOAP against REST) is one cross-API check that counts for both bindings.
    expect(report.behaviours.find((x) => x.id === 'EO-12')!.bindings).toEqual({ soap11: 'passed', 'rest-json': 'passed' })
    expect(report.coverage.notVerified).toEqual([])
    expect(readFileSync(join(out, 'matrix.md'), 'utf8')).toContain('| **IE-4**')
    const html = readFileSync(join(out, 'matrix.html'), 'utf8')
    for (const b of report.behaviours) expect(html, b.id).toContain(`>${b.id}<`)
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8')
    expect(junit.match(/<testcase /g)).toHaveLength(report.summary.checks)
    const xsd = readFileSync(join(PROJECT_ROOT, 'test/report/fixtures/junit-10.xsd'), 'utf8')
    expect((await validateXML({ xml: [{ fileName: 'junit.xml', contents: junit }], schema: [xsd] })).errors).toEqual([])
    const har = JSON.parse(readFileSync(join(out, 'exchanges.har'), 'utf8')) as { log: { version: string; entries: unknown[]; pages: unknown[] } }
    expect(har.log.version).toBe('1.2')
    expect(har.log.pages).toHaveLength(report.summary.checks)
    expect(har.log.entries.length).toBeGreaterThan(report.summary.checks)
    const allure = readdirSync(join(out, 'allure-results')).filter((f) => f.endsWith('-result.json'))
    expect(allure).toHaveLength(report.summary.checks)
    const one = JSON.parse(readFileSync(join(out, 'allure-results', allure[0]!), 'utf8')) as { labels: Array<{ name: string }>; steps: Array<{ name: string }> }
    expect(one.labels.map((l) => l.name)).toEqual(expect.arrayContaining(['epic', 'feature', 'story', 'severity', 'tag']))
    expect(one.steps.map((st) => st.name.split(' ')[0])).toEqual(
      expect.arrayContaining(['provision', 'authenticate', 'snapshot', 'call', 'validate', 'restore']),
    )

    // Two runs in a row, an Allure report after each (the project's allurerc, redirected here): the second has history.
    const rc = join(out, 'allurerc.mjs')
    writeFileSync(
      rc,
      `import base from ${JSON.stringify(join(PROJECT_ROOT, 'allurerc.mjs'))}\nexport default { ...base, output: ${JSON.stringify(join(out, 'allure-report'))}, historyPath: ${JSON.stringify(join(out, 'history.jsonl'))} }\n`,
    )
    const generate = async (results: string) => {
      rmSync(join(out, 'allure-report'), { recursive: true, force: true })
      const g = await run(join(PROJECT_ROOT, 'node_modules/.bin/allure'), ['generate', results, '--config', rc])
      expect(g.code, g.stderr + g.stdout).toBe(0)
    }
    await generate(join(out, 'allure-results'))
    const second = join(out, 'second')
    expect((await conform(['run', '--seed', '11', '--api', 'inforouter', '--out', second])).code).toBe(0)
    await generate(join(second, 'allure-results'))
    expect(readFileSync(join(out, 'history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2)
    const dir = join(out, 'allure-report', 'data', 'test-results')
    const results = readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { name: string; history?: Array<{ status: string }> })
    const inforouter = report.checks.filter((c) => c.api === 'inforouter').length
    expect(results).toHaveLength(inforouter)
    expect(results.filter((t) => t.history?.[0]?.status === 'passed')).toHaveLength(inforouter)
  })

  test('a deviation makes the run not conformant (exit 1) and names the spec line', async () => {
    const out = tmp()
    const r = await conform(['run', '--deviate', 'ie-noop-fails', '--covers', 'IE-4', '--out', out])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/FAIL inforouter\.update-user-email\.same-email-is-noop@soap11 .*same-email-is-noop\.yaml:\d+:\d+/)
    const report = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceReport
    expect(report.deviations).toEqual(['ie-noop-fails'])
    expect(report.behaviours.find((b) => b.id === 'IE-4')!.bindings.soap12).toBe('failed')
  })

  test('an unknown deviation is bad usage', async () => {
    const r = await conform(['run', '--deviate', 'no-such-thing'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/unknown deviation "no-such-thing"/)
  })

  test('an --out that cannot be a directory is bad usage (exit 2), before anything runs; one still to be made is made', async () => {
    const file = join(tmp(), 'a-file')
    writeFileSync(file, '')
    const r = await conform(['run', '--api', 'logicmelon', '--out', join(file, 'reports')])
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toContain(`BAD_USAGE --out ${join(file, 'reports')}: the reports cannot be written there (ENOTDIR)`)
    expect(r.stdout).toBe('')
    const deep = join(tmp(), 'not', 'yet', 'there')
    const ok = await conform(['run', '--api', 'logicmelon', '--spec', 'logicmelon.user-update.wrong-username', '--out', deep])
    expect(ok.code, ok.stderr).toBe(0)
    expect(readdirSync(deep)).toContain('conformance.json')
  })
})

describe('bad specs never start a run', () => {
  test('conform check names file:line:column and exits 2', async () => {
    const dir = specDir({ 'bad.yaml': VALID_SPEC.replace('[IE-4]', '[IE-44]') })
    const r = await conform(['check', '--specs', dir])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/inforouter\/x\/bad\.yaml:3:10 UNKNOWN_BEHAVIOUR unknown behaviour "IE-44"/)
  })

  test('conform check passes on the shipped specs', async () => {
    const r = await conform(['check'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/ok: \d+ behaviours, 5 API\(s\) \(ecgrid-rest, ecgridos, ecgridos-v41, inforouter, logicmelon\), \d+ specs/)
  })

  test('conform run with a broken spec exits 2 and sends nothing to the target', async () => {
    let requests = 0
    const server = createServer((_, res) => {
      requests++
      res.end('ok')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as AddressInfo
    const config = join(tmp(), 'conform.config.yaml')
    writeFileSync(config, `targets:\n  staging:\n    allowWrites: true\n    apis:\n      inforouter:\n        baseUrl: http://127.0.0.1:${port}\n`)
    const dir = specDir({
      'good.yaml': VALID_SPEC,
      'bad.yaml': VALID_SPEC.replace('id: t.update-user-email.noop', 'id: t.b').replace('  caller: jane', '  caller: ['),
    })
    const r = await conform(['run', '--target', 'staging', '--config', config, '--specs', dir])
    server.close()
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+ YAML_SYNTAX/)
    expect(requests).toBe(0)
  })
})

describe('an unreachable target', () => {
  test('exits 3 with a message that says what to check, no stack trace', async () => {
    const config = join(tmp(), 'conform.config.yaml')
    writeFileSync(config, 'targets:\n  gone:\n    limits: { timeoutMs: 2000 }\n    apis:\n      inforouter:\n        baseUrl: http://127.0.0.1:9\n')
    const r = await conform(['run', '--target', 'gone', '--config', config])
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/could not be reached \(ECONNREFUSED\)/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  test('only the base URLs of the APIs the run uses are asked', async () => {
    const config = join(tmp(), 'conform.config.yaml')
    writeFileSync(
      config,
      'targets:\n  gone:\n    limits: { timeoutMs: 2000 }\n    apis:\n      inforouter:\n        baseUrl: http://127.0.0.1:9/ir\n      ecgridos:\n        baseUrl: http://127.0.0.1:9/eo\n',
    )
    const r = await conform(['run', '--target', 'gone', '--config', config, '--api', 'ecgridos'])
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/ecgridos at http:\/\/127\.0\.0\.1:9\/eo could not be reached/)
    expect(r.stderr).not.toMatch(/inforouter/)
  })
})

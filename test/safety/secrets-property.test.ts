import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { SaxesParser } from 'saxes'
import { describe, expect, test } from 'vitest'
import { bindingFor } from '../../src/bindings/index.ts'
import type { BindingName, EncodeInput, WireRequest } from '../../src/bindings/types.ts'
import { buildMigration } from '../../src/compare/migration.ts'
import { recordOf } from '../../src/compare/run-record.ts'
import { Journal } from '../../src/engine/journal.ts'
import type { CheckResult, RecordedExchange } from '../../src/engine/result.ts'
import { Redactor } from '../../src/redact.ts'
import { buildConformance } from '../../src/report/conformance.ts'
import { renderConsoleSummary } from '../../src/report/console.ts'
import { renderHar, type Har } from '../../src/report/har.ts'
import { esc } from '../../src/report/html.ts'
import { renderJUnit } from '../../src/report/junit.ts'
import { renderMatrixHtml } from '../../src/report/matrix-html.ts'
import { renderMatrixMarkdown } from '../../src/report/matrix-md.ts'
import { renderMigrationHtml } from '../../src/report/migration-html.ts'
import { renderMigrationMarkdown } from '../../src/report/migration-md.ts'
import { catalogue, check, exchange, meta, step } from '../report/builders.ts'

/**
 * Secrets drawn from all of printable ASCII and beyond (astral planes too) are sent through every encoding the
 * product writes requests in (HTTP GET query, HTTP POST form, SOAP 1.1 and 1.2 XML, REST JSON and its API-key header,
 * and HTTP Basic credentials), redacted as the product redacts a check's result, then rendered by every reporter
 * (console summary, conformance.json, JUnit, HAR, matrix HTML and Markdown, migration JSON, Markdown and HTML, journal
 * lines). None of them may hold the secret, as its reader would decode it.
 */

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))
/** Characters beyond ASCII that XML can carry: Latin-1 onwards, the astral planes included. */
const beyondAscii = fc
  .integer({ min: 0xa0, max: 0x10ffff })
  .filter((cp) => (cp < 0xd800 || cp > 0xdfff) && cp !== 0xfffe && cp !== 0xffff)
  .map((cp) => String.fromCodePoint(cp))
const unit = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PRINTABLE) }, { weight: 1, arbitrary: beyondAscii })
/**
 * A short secret made only of punctuation that also shapes the texts (`{`, `","`) is redacted where it stands as a
 * value, and where the same characters happen to stand like one: the text left may then no longer parse, so the
 * check below, which reads values as a parser does, could not look. Such draws are left to the unit tests.
 */
const STRUCTURE = /^[\s{}[\]<>"'=:&;,()/\\]{1,3}$/
const secrets = (minLength: number) => fc.string({ unit, minLength, maxLength: 24 }).filter((s) => !STRUCTURE.test(s))

const RUNS = 300

// ---------------------------------------------------------------------------------------------------------------
// Reading what was written, as its reader would: query strings and forms, XML, JSON, Basic credentials.

/** Text and attribute values of an XML document, entities and character references decoded (saxes, a strict parser). */
function xmlValues(xml: string): string[] {
  const values: string[] = []
  const parser = new SaxesParser()
  parser.on('text', (t) => values.push(t))
  parser.on('opentag', (tag) => values.push(...Object.values(tag.attributes).map(String)))
  parser.write(xml).close()
  return values
}

function jsonValues(v: unknown): string[] {
  if (typeof v === 'string') return [v]
  if (Array.isArray(v)) return v.flatMap(jsonValues)
  if (v && typeof v === 'object') return Object.values(v).flatMap(jsonValues)
  return []
}

/** Every value a request carries, decoded: query and form values, XML text and attributes, JSON strings, headers. */
function requestValues(req: WireRequest): string[] {
  const values = [...new URL(req.url).searchParams.values()]
  for (const [name, value] of Object.entries(req.headers)) {
    values.push(value)
    const basic = name === 'authorization' ? /^Basic (\S+)$/i.exec(value) : null
    if (basic) {
      const pair = Buffer.from(basic[1]!, 'base64').toString('utf8')
      values.push(pair, pair.slice(pair.indexOf(':') + 1))
    }
  }
  const body = req.body ?? ''
  const type = req.headers['content-type'] ?? ''
  if (type.includes('x-www-form-urlencoded')) values.push(...new URLSearchParams(body).values())
  else if (type.includes('xml')) values.push(...xmlValues(body))
  else if (type.includes('json')) values.push(...jsonValues(JSON.parse(body)))
  return values
}

/** A short secret leaks where a value is the secret; a longer one wherever a value holds it. */
const leaks = (secret: string, value: string) => (secret.length < 4 ? value === secret : value.includes(secret))

// ---------------------------------------------------------------------------------------------------------------
// The product's encoders.

const BASE = 'http://127.0.0.1:8080'

function encoded(binding: BindingName, secret: string): WireRequest {
  const input: EncodeInput =
    binding === 'rest-json'
      ? {
          baseUrl: BASE,
          path: '/v2/users',
          operation: 'UpdateUser',
          namespace: '',
          params: [
            ['apiKey', secret],
            ['userId', '20001'],
            ['password', secret],
            ['firstName', 'Jane'],
          ],
          http: { method: 'PUT', path: '/v2/users', headers: { 'X-API-Key': 'apiKey' } },
          types: { userId: 'integer' },
        }
      : {
          baseUrl: BASE,
          path: binding.startsWith('soap') ? '/srv.asmx' : '/srv.asmx/AuthenticateUser',
          operation: 'AuthenticateUser',
          namespace: 'http://tempuri.org/',
          params: [
            ['UID', 'jane'],
            ['PWD', secret],
          ],
        }
  return bindingFor(binding).encode(input)
}

/** HTTP Basic credentials, as a client writes them for `user:password`. */
function basicAuth(secret: string): WireRequest {
  return { method: 'GET', url: `${BASE}/v2/users/20001`, headers: { authorization: `Basic ${Buffer.from(`jane:${secret}`, 'utf8').toString('base64')}` } }
}

const BINDINGS: BindingName[] = ['http-get', 'http-post', 'soap11', 'soap12', 'rest-json']

describe('a secret in any encoding the product sends is redacted', () => {
  test('HTTP GET, HTTP POST, SOAP 1.1, SOAP 1.2, REST JSON (body and API-key header), Basic credentials', () => {
    fc.assert(
      fc.property(secrets(1), (secret) => {
        const r = new Redactor()
        r.add(secret)
        for (const req of [...BINDINGS.map((b) => encoded(b, secret)), basicAuth(secret)]) {
          // The request as sent carries the secret (else this would prove nothing) …
          expect(
            requestValues(req).some((v) => leaks(secret, v)),
            JSON.stringify(req),
          ).toBe(true)
          // … and none of its values does once redacted as a check's result is.
          const redacted = r.redactValue(req)
          const found = requestValues(redacted).filter((v) => leaks(secret, v))
          expect(found, `${JSON.stringify(secret)} in ${JSON.stringify(redacted)}`).toEqual([])
        }
      }),
      { numRuns: RUNS },
    )
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Through the reporters.

/** XML as writers that escape only what they must write it (`'` and `"` raw in text). */
const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** A failed check whose requests, answers and messages carry the secret the ways a run meets it. */
function checkWith(secret: string): CheckResult {
  const requests = [...BINDINGS.map((b) => encoded(b, secret)), basicAuth(secret)]
  const answers = [
    `<?xml version="1.0"?><CUser><Username>jane</Username><Password>${xmlText(secret)}</Password></CUser>`,
    JSON.stringify({ success: true, data: { login: 'jane', password: secret } }),
    // Echoed in prose: a secret of 4 characters or more goes from anywhere; a shorter one only from a whole value
    // (src/redact.ts), so it is echoed as one.
    secret.length >= 4 ? `<root success="false" error="bad password ${esc(secret)}"/>` : `<root success="false" error="${esc(secret)}"/>`,
  ]
  const exchanges: RecordedExchange[] = requests.map((request, i) =>
    exchange({
      operation: i === 4 ? 'UpdateUser' : 'AuthenticateUser',
      request,
      response: { status: 200, headers: { 'content-type': i === 4 ? 'application/json' : 'text/xml; charset=utf-8' }, body: answers[i % answers.length]! },
    }),
  )
  const messages = [
    `could not read back user jane with UserList over soap11: got ${JSON.stringify({ CUser: { Password: secret } })}`,
    `X-3: the answer echoes a credential: <Password>${xmlText(secret)}</Password>`,
    `expected "${secret}" to be absent`,
  ]
  return check({
    status: 'failed',
    category: 'behaviour',
    message: messages.join('\n'),
    requests: exchanges.length,
    exchanges,
    failures: messages.map((message) => ({ category: 'behaviour' as const, behaviours: ['IE-2'], message })),
    steps: [step({ name: 'call', status: 'failed', message: messages[0]!, exchanges: exchanges.map((_, i) => i) })],
  })
}

/**
 * The journal's snapshot ids (random UUIDs) and times, which the suite generates and no secret can be in, as fixed
 * tokens: they differ from one run to the next, so a short secret met in one by chance (`2d` in an id) would read as
 * a leak that the placeholder run could not rule out.
 */
function withoutGenerated(text: string): string {
  return text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>').replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, '<time>')
}

/** Every output of a run whose one check met `secret`, redacted as the product redacts (one Redactor, at the result). */
async function outputs(secret: string): Promise<Record<string, string>> {
  const r = new Redactor()
  r.add(secret)
  const result = r.redactValue(checkWith(secret))
  const report = buildConformance([result], catalogue, meta)
  const har = renderHar([result], { tool: meta.tool })
  // A comparison: the candidate's answers differ from the baseline's (the diff quotes both sides' values). The
  // candidate run has a redactor of its own, which knows its users' secrets.
  const other = new Redactor()
  other.add(secret)
  other.add(`${secret}!`)
  const candidate = other.redactValue(checkWith(`${secret}!`))
  const candidateReport = buildConformance([candidate], catalogue, meta)
  const candidateHar = renderHar([candidate], { tool: meta.tool })
  const migration = buildMigration({
    tool: meta.tool,
    startedAt: meta.startedAt,
    durationMs: 1,
    baseline: [recordOf('b1', report, JSON.parse(har) as Har), recordOf('b2', report, JSON.parse(har) as Har)],
    candidate: recordOf('c', candidateReport, JSON.parse(candidateHar) as Har),
    wsdls: { baseline: [], candidate: [] },
  })
  // The journal: a restore that failed, with the messages the check had.
  const file = join(mkdtempSync(join(tmpdir(), 'conform-secret-journal-')), 'journal.jsonl')
  const journal = new Journal(file, 'staging', 2 ** 22 + 1, r)
  const id = await journal.snapshot({
    api: 'inforouter',
    user: 'jane',
    check: result.id,
    binding: 'soap11',
    attrs: { userName: 'jane' },
    state: { email: 'jane@example.com' },
  })
  await journal.restoreFailed(
    id,
    'inforouter',
    'jane',
    checkWith(secret).failures.map((f) => f.message),
  )
  return {
    console: renderConsoleSummary(report, '/tmp/reports'),
    'conformance.json': `${JSON.stringify(report, null, 2)}\n`,
    'junit.xml': renderJUnit(report, [result]),
    'exchanges.har': har,
    'matrix.html': renderMatrixHtml(report),
    'matrix.md': renderMatrixMarkdown(report),
    'migration.json': `${JSON.stringify(migration, null, 2)}\n`,
    'migration.md': renderMigrationMarkdown(migration),
    'migration.html': renderMigrationHtml(migration),
    'journal.jsonl': withoutGenerated(readFileSync(file, 'utf8')),
  }
}

/**
 * The secret as any of the writers in play may have written it, up to three layers deep (a query string in a JSON
 * string in an HTML page): the oracle, independent of the redactor's own decoding.
 */
function writtenForms(secret: string): Set<string> {
  const upper = (s: string) => encodeURIComponent(s)
  const writers = [
    upper,
    (s: string) => upper(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    (s: string) => new URLSearchParams({ s }).toString().slice(2),
    (s: string) => JSON.stringify(s).slice(1, -1),
    (s: string) => JSON.stringify(s).slice(1, -1).replace(/\//g, '\\/'),
    xmlText,
    esc,
    (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;'),
  ]
  let layer = new Set([secret])
  const all = new Set(layer)
  for (let depth = 0; depth < 3; depth++) {
    const next = new Set<string>()
    for (const s of layer) for (const w of writers) next.add(w(s))
    for (const s of next) all.add(s)
    layer = next
  }
  all.add(Buffer.from(`jane:${secret}`, 'utf8').toString('base64'))
  return all
}

describe('a secret is in no report, no console output and no journal line', () => {
  test('console, conformance.json, JUnit, HAR, matrix (HTML, Markdown), migration (JSON, Markdown, HTML), journal', async () => {
    // What every output holds when the check met another secret: a form of the drawn secret found there stands for
    // the report itself (indentation, markup), not for a leak, and such a draw is set aside.
    const plain = Object.values(await outputs('Zq9-placeholder-Vx')).join('\n\u0000\n')
    await fc.assert(
      fc.asyncProperty(secrets(1), async (secret) => {
        const forms = writtenForms(secret)
        fc.pre([...forms].every((f) => !plain.includes(f)))
        for (const [name, text] of Object.entries(await outputs(secret))) {
          const found = [...forms].filter((f) => text.includes(f))
          expect(found, `${JSON.stringify(secret)} in ${name}`).toEqual([])
        }
      }),
      { numRuns: RUNS, maxSkipsPerRun: 100 },
    )
  })

  test("the issue's password and short ones too", async () => {
    for (const secret of [`Pw&ZZTOP'9731`, `Pw&ZZTOP'9731"<x>`, 'Ωq', '😀', 'q~|']) {
      const forms = writtenForms(secret)
      for (const [name, text] of Object.entries(await outputs(secret))) {
        expect(
          [...forms].filter((f) => text.includes(f)),
          `${JSON.stringify(secret)} in ${name}`,
        ).toEqual([])
      }
    }
  })
})

import type { Catalogue } from '../../src/catalogue.ts'
import type { CheckResult, CheckStep, RecordedExchange } from '../../src/engine/result.ts'
import { buildConformance, type ConformanceReport, type ReportMeta } from '../../src/report/conformance.ts'
import type { Behaviour } from '../../src/spec/model.ts'

/** Small, hand-made inputs for the renderers: a catalogue, checks of every status, and the report built from them. */

export const catalogue: Catalogue = new Map<string, Behaviour>(
  (
    [
      {
        id: 'IE-1',
        level: 'MUST',
        api: 'inforouter',
        operation: 'UpdateUserEmail',
        title: 'UpdateUserEmail works over GET, POST and SOAP',
        bindings: ['http-get', 'soap11', 'soap12'],
      },
      {
        id: 'IE-2',
        level: 'MUST',
        api: 'inforouter',
        operation: 'UpdateUserEmail',
        title: 'Success answers <response success="true"/>',
        bindings: ['http-get', 'soap11', 'soap12'],
      },
      {
        id: 'IE-3',
        level: 'SHOULD',
        api: 'inforouter',
        operation: 'UpdateUserEmail',
        title: 'Failures answer with the documented error text',
        bindings: ['http-get', 'soap11', 'soap12'],
      },
      { id: 'IE-9', level: 'ADVISORY', api: 'inforouter', operation: 'UpdateUserEmail', title: 'Emails are compared case-insensitively', bindings: ['soap11'] },
      {
        id: 'ER-1',
        level: 'MUST',
        api: 'ecgrid-rest',
        operation: 'UpdateUser',
        title: 'PUT /users/{id} updates the user & answers 200',
        bindings: ['rest-json'],
      },
      { id: 'X-1', level: 'MUST', api: '*', operation: '*', title: 'No secret is echoed back', bindings: ['soap11', 'rest-json'] },
    ] satisfies Behaviour[]
  ).map((b) => [b.id, b]),
)

export function exchange(overrides: Partial<RecordedExchange> = {}): RecordedExchange {
  return {
    operation: 'UpdateUserEmail',
    startedAt: '2026-11-22T08:35:22.100Z',
    durationMs: 12,
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:8080/srv.asmx',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://tempuri.org/UpdateUserEmail"' },
      body: '<soap:Envelope><soap:Body><UpdateUserEmail><authenticationTicket>***</authenticationTicket></UpdateUserEmail></soap:Body></soap:Envelope>',
    },
    response: { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: '<response success="true" error="" />' },
    ...overrides,
  }
}

export function step(overrides: Partial<CheckStep> = {}): CheckStep {
  return { name: 'call', status: 'passed', startedAt: '2026-11-22T08:35:22.100Z', durationMs: 12, exchanges: [], ...overrides }
}

export function check(overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    id: 'inforouter.update-user-email.ok@soap11',
    spec: 'specs/inforouter/update-user-email/ok.yaml',
    line: 1,
    title: 'A member updates their own email',
    api: 'inforouter',
    operation: 'UpdateUserEmail',
    binding: 'soap11',
    covers: ['IE-1', 'IE-2'],
    level: 'MUST',
    status: 'passed',
    category: null,
    message: null,
    failures: [],
    durationMs: 40,
    requests: 0,
    exchanges: [],
    steps: [],
    ...overrides,
  }
}

const failedMessage = 'UpdateUserEmail over soap12: expected <response success="true"> but got success="false" & error="x"'

/** One check of each status, over two APIs. */
export function sampleChecks(): CheckResult[] {
  return [
    check({
      requests: 2,
      exchanges: [
        exchange({
          operation: 'GetUser',
          startedAt: '2026-11-22T08:35:22.050Z',
          request: { method: 'GET', url: 'http://127.0.0.1:8080/srv.asmx/GetUser?authenticationTicket=***&UserName=jane%20doe&x=1&x=2', headers: {} },
        }),
        exchange(),
      ],
      steps: [
        step({ name: 'snapshot', startedAt: '2026-11-22T08:35:22.050Z', exchanges: [0] }),
        step({ detail: 'UpdateUserEmail over soap11', exchanges: [1] }),
      ],
    }),
    check({
      id: 'inforouter.update-user-email.bad@soap12',
      binding: 'soap12',
      covers: ['IE-2', 'IE-3'],
      status: 'failed',
      category: 'behaviour',
      message: `${failedMessage}\nUpdateUserEmail over soap12: content type text/html is not application/soap+xml`,
      failures: [
        { category: 'schema', behaviours: ['IE-3'], message: 'UpdateUserEmail over soap12: content type text/html is not application/soap+xml' },
        { category: 'behaviour', behaviours: ['IE-2'], message: failedMessage },
      ],
      durationMs: 1500,
    }),
    check({
      id: 'inforouter.update-user-email.case@http-get',
      binding: 'http-get',
      covers: ['IE-3'],
      level: 'SHOULD',
      status: 'warned',
      category: 'behaviour',
      message: 'UpdateUserEmail over http-get: error text differs from the documented one',
      failures: [{ category: 'behaviour', behaviours: ['IE-3'], message: 'UpdateUserEmail over http-get: error text differs from the documented one' }],
    }),
    check({
      id: 'inforouter.update-user-email.writes@soap11',
      covers: ['IE-9'],
      level: 'ADVISORY',
      status: 'skipped',
      message: 'the target does not allow writes (allowWrites is not true)',
      durationMs: 0,
    }),
    check({
      id: 'ecgrid-rest.update-user.ok@rest-json',
      api: 'ecgrid-rest',
      operation: 'UpdateUser',
      binding: 'rest-json',
      covers: ['ER-1'],
      status: 'failed',
      category: 'transport',
      message: 'UpdateUser: connect ECONNREFUSED 127.0.0.1:9',
      failures: [{ category: 'transport', behaviours: ['ER-1'], message: 'UpdateUser: connect ECONNREFUSED 127.0.0.1:9' }],
      requests: 1,
      exchanges: [
        exchange({
          operation: 'UpdateUser',
          startedAt: '2026-11-22T08:35:22.000Z',
          request: { method: 'PUT', url: 'http://127.0.0.1:9/users/7', headers: { 'Content-Type': 'application/json' }, body: '{"email":"é@x.io"}' },
          response: undefined,
          error: 'UpdateUser: connect ECONNREFUSED 127.0.0.1:9',
        }),
      ],
      steps: [step({ detail: 'UpdateUser over rest-json', status: 'broken', message: 'connect ECONNREFUSED', exchanges: [0] })],
    }),
  ]
}

export const meta: ReportMeta = {
  tool: { name: 'user-update-conformance', version: '0.1.0' },
  target: 'reference',
  seed: 42,
  startedAt: '2026-11-22T08:35:21.989Z',
  durationMs: 2224,
  deviations: [],
  apis: ['inforouter', 'ecgrid-rest'],
  bindingsOffered: { inforouter: ['http-get', 'soap11', 'soap12'], 'ecgrid-rest': ['rest-json'] },
}

export function sampleReport(checks = sampleChecks(), overrides: Partial<ReportMeta> = {}): ConformanceReport {
  return buildConformance(checks, catalogue, { ...meta, ...overrides })
}

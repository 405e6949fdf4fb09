import type { CheckResult, RecordedExchange } from '../engine/result.ts'

export interface HarMeta {
  tool: { name: string; version: string }
}

interface NameValue {
  name: string
  value: string
}

export interface HarEntry {
  pageref: string
  /** The API operation of the exchange (a HAR custom field). */
  _operation: string
  /** What the check sent it for (RecordedExchange `purpose`: snapshot, call, restore write, …; a HAR custom field). */
  _purpose?: string
  startedDateTime: string
  time: number
  request: {
    method: string
    url: string
    httpVersion: string
    cookies: NameValue[]
    headers: NameValue[]
    queryString: NameValue[]
    postData?: { mimeType: string; text: string }
    headersSize: -1
    bodySize: number
  }
  response: {
    status: number
    statusText: string
    httpVersion: string
    cookies: NameValue[]
    headers: NameValue[]
    content: { size: number; mimeType: string; text?: string }
    redirectURL: string
    headersSize: -1
    bodySize: number
    _error?: string
  }
  cache: Record<string, never>
  timings: { send: number; wait: number; receive: number }
  /** Set on requests to the embedded reference's control endpoint (provisioning), which are not the target's. */
  comment?: string
}

export interface Har {
  log: {
    version: '1.2'
    creator: { name: string; version: string }
    pages: Array<{ startedDateTime: string; id: string; title: string; pageTimings: Record<string, never> }>
    entries: HarEntry[]
  }
}

export const CONTROL_COMMENT = 'reference control endpoint (provisioning), not a request to the target'

// The engine speaks HTTP/1.1 on every binding (undici and node's http); the exchange does not record it.
const HTTP_VERSION = 'HTTP/1.1'

/** run.har: every exchange of every check (a page per check), for browser devtools and HAR viewers. */
export function renderHar(checks: CheckResult[], meta: HarMeta): string {
  return `${JSON.stringify(buildHar(checks, meta), null, 2)}\n`
}

function buildHar(checks: CheckResult[], meta: HarMeta): Har {
  // HAR requires a start per page: a check that recorded no time gets the run's earliest (the epoch only if none did).
  const fallbackStart =
    earliest(checks.flatMap((c) => [...c.exchanges.map((x) => x.startedAt), ...c.steps.map((s) => s.startedAt)])) ?? new Date(0).toISOString()
  const pages = checks.map((c) => ({
    startedDateTime: earliest([...c.exchanges.map((x) => x.startedAt), ...c.steps.map((s) => s.startedAt)]) ?? fallbackStart,
    id: c.id,
    title: c.title,
    pageTimings: {},
  }))
  const tagged = checks.flatMap((c) => [
    ...(c.control ?? []).map((x) => ({ page: c.id, x, control: true })),
    ...c.exchanges.map((x) => ({ page: c.id, x, control: false })),
  ])
  // A stable sort keeps the recorded order of exchanges that started in the same millisecond.
  const entries = tagged
    .sort((a, b) => Date.parse(a.x.startedAt) - Date.parse(b.x.startedAt))
    .map(({ page, x, control }) => ({ ...entry(page, x), ...(control ? { comment: CONTROL_COMMENT } : {}) }))
  return { log: { version: '1.2', creator: { name: meta.tool.name, version: meta.tool.version }, pages, entries } }
}

function entry(pageref: string, x: RecordedExchange): HarEntry {
  const body = x.request.body
  return {
    pageref,
    _operation: x.operation,
    ...(x.purpose ? { _purpose: x.purpose } : {}),
    startedDateTime: x.startedAt,
    time: x.durationMs,
    request: {
      method: x.request.method,
      url: x.request.url,
      httpVersion: HTTP_VERSION,
      cookies: [],
      headers: pairs(x.request.headers),
      queryString: queryOf(x.request.url),
      ...(body !== undefined ? { postData: { mimeType: header(x.request.headers, 'content-type') ?? '', text: body } } : {}),
      headersSize: -1,
      bodySize: body !== undefined ? bytes(body) : 0,
    },
    response: x.response ? answered(x.response, x.error) : unanswered(x.error),
    cache: {},
    timings: { send: 0, wait: x.durationMs, receive: 0 },
  }
}

function answered(r: NonNullable<RecordedExchange['response']>, error: string | undefined): HarEntry['response'] {
  const size = bytes(r.body)
  return {
    status: r.status,
    statusText: '',
    httpVersion: HTTP_VERSION,
    cookies: [],
    headers: pairs(r.headers),
    content: { size, mimeType: header(r.headers, 'content-type') ?? '', text: r.body },
    redirectURL: '',
    headersSize: -1,
    bodySize: size,
    ...(error !== undefined ? { _error: error } : {}),
  }
}

/** No answer came (refused, reset, timed out): status 0 as browsers record it, and why in `_error`. */
function unanswered(error: string | undefined): HarEntry['response'] {
  return {
    status: 0,
    statusText: '',
    httpVersion: '',
    cookies: [],
    headers: [],
    content: { size: 0, mimeType: '' },
    redirectURL: '',
    headersSize: -1,
    bodySize: -1,
    _error: error ?? 'no response',
  }
}

function pairs(headers: Record<string, string>): NameValue[] {
  return Object.entries(headers).map(([name, value]) => ({ name, value }))
}

function header(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1]
}

function queryOf(url: string): NameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }))
  } catch {
    return []
  }
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

function earliest(times: string[]): string | undefined {
  return times.length ? times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a)) : undefined
}

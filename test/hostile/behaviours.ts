import type { IncomingMessage, ServerResponse } from 'node:http'
import { gzipSync } from 'node:zlib'

/**
 * What a hostile target does instead of answering, one per name. Each says how the suite must take it:
 * the failed check's category and a pattern its message must match (the message names the problem).
 */
export interface Misbehaviour {
  name: string
  /** The API whose call carries the marker; XML misbehaviours go to infoRouter, JSON ones to ECGrid REST. */
  api: 'inforouter' | 'ecgrid-rest'
  bindings: string[]
  /** The failed check's category; `passed` for answers that are odd but valid HTTP (the check must pass). */
  category: 'transport' | 'schema' | 'behaviour' | 'passed'
  message: RegExp
  /** Hangs by design: the call ends at the deadline, not before it. */
  hangs?: boolean
  /** A well-formed refusal: the first call with a kept session is sent once more after a fresh login (session-reuse.ts). */
  resentOnce?: boolean
  act(req: IncomingMessage, res: ServerResponse): void
}

export const MB = 1024 * 1024
const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/'

/** A SOAP 1.1 UpdateUserEmail answer; `prolog` goes before the root, `inner` inside the result. */
function envelope(inner: string, prolog = ''): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?>${prolog}<soap:Envelope xmlns:soap="${SOAP}"><soap:Body>` +
    `<UpdateUserEmailResponse xmlns="http://tempuri.org/"><UpdateUserEmailResult>${inner}</UpdateUserEmailResult>` +
    '</UpdateUserEmailResponse></soap:Body></soap:Envelope>'
  )
}
const SUCCESS = '<response success="true" error="" />'

/** Writes `total` bytes of `chunk`s, respecting backpressure, until done or the client goes away. */
function stream(res: ServerResponse, total: number, chunk: Buffer): void {
  let sent = 0
  const pump = () => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length
      if (!res.write(chunk)) return void res.once('drain', pump)
    }
    if (!res.destroyed) res.end()
  }
  pump()
}

/** Sends `text` one byte every `everyMs`, until done or the client goes away. */
function drip(res: ServerResponse, text: string, everyMs: number): void {
  let i = 0
  const timer = setInterval(() => {
    if (res.destroyed || i >= text.length) {
      clearInterval(timer)
      if (!res.destroyed) res.end()
      return
    }
    res.write(text[i++]!)
  }, everyMs)
  res.on('close', () => clearInterval(timer))
}

const raw = (req: IncomingMessage, bytes: string | Buffer) => req.socket.end(bytes)
/** A complete 200 answer as bytes on the wire, for misbehaviours that write their own status lines. */
const answer200 = (body: string) =>
  `HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`

let gzipBomb: Buffer | undefined
/** 100 MB of zeros, gzipped to about 100 KB: harmless unless someone inflates it. Made once, up front (it takes a second). */
export const prepareBombs = () => {
  gzipBomb ??= gzipSync(Buffer.alloc(100 * MB), { level: 9 })
}
const bomb = () => gzipBomb!

const laughs = `<!DOCTYPE soap:Envelope [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i ? i : ''};`.repeat(10)}">`).join('')}]>`

export const MISBEHAVIOURS: Misbehaviour[] = [
  {
    name: 'headers-never',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'transport',
    hangs: true,
    message: /TRANSPORT_TIMEOUT|no complete answer within the \d+ ms deadline/,
    act: () => {},
  },
  {
    name: 'body-never-ends',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'transport',
    hangs: true,
    message: /no complete answer within the \d+ ms deadline/,
    act: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8', 'content-length': 100_000 })
      res.write(envelope('').slice(0, 120))
    },
  },
  {
    name: 'slow-drip',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'transport',
    hangs: true,
    message: /no complete answer within the \d+ ms deadline/,
    act: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
      drip(res, envelope(SUCCESS), 50)
    },
  },
  {
    name: 'connection-reset',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'transport',
    message: /connection was (reset|closed)/,
    act: (req) => {
      req.socket.resetAndDestroy()
    },
  },
  {
    name: 'empty-reply',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'transport',
    message: /connection was (reset|closed)/,
    act: (req) => {
      req.socket.end()
    },
  },
  {
    name: 'garbage-bytes',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'transport',
    message: /not HTTP/,
    act: (req) => raw(req, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256))),
  },
  {
    name: 'duplicate-content-length',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'transport',
    message: /not HTTP/,
    act: (req) => raw(req, 'HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 5\r\nContent-Length: 50\r\n\r\n<a/>\n'),
  },
  {
    name: 'header-flood',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'transport',
    message: /not HTTP|header/i,
    act: (req) => raw(req, `HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nX-Flood: ${'a'.repeat(2 * MB)}\r\nContent-Length: 4\r\n\r\n<a/>`),
  },
  {
    name: 'truncated-chunked',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'transport',
    message: /connection was (reset|closed)/,
    act: (req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
      res.write(envelope(SUCCESS).slice(0, 150))
      setTimeout(() => req.socket.destroy(), 20)
    },
  },
  {
    name: 'short-content-length',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'transport',
    message: /connection was (reset|closed)/,
    act: (req) => raw(req, `HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: 5000\r\n\r\n${envelope(SUCCESS).slice(0, 100)}`),
  },
  {
    name: 'huge-body',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'transport',
    message: /exceeds the \d+-byte cap/,
    act: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8', 'content-length': 100 * MB })
      stream(res, 100 * MB, Buffer.alloc(64 * 1024, 'a'))
    },
  },
  {
    name: 'huge-chunked-body',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'transport',
    message: /exceeds the \d+-byte cap/,
    act: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
      stream(res, 100 * MB, Buffer.alloc(64 * 1024, 'a'))
    },
  },
  {
    name: 'gzip-bomb',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'transport',
    message: /Content-Encoding "gzip"/,
    act: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8', 'content-encoding': 'gzip', 'content-length': bomb().length })
      res.end(bomb())
    },
  },
  {
    name: 'redirect-loop',
    api: 'inforouter',
    bindings: ['soap11', 'http-get'],
    category: 'transport',
    message: /redirect/,
    act: (req, res) => {
      res.writeHead(302, { location: req.url ?? '/', 'content-type': 'text/html' })
      res.end('<html><body>Moved</body></html>')
    },
  },
  {
    name: 'invalid-utf8',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'transport',
    message: /not valid UTF-8/,
    act: (_req, res) => {
      const [head, tail] = envelope('<response success="true" error="MARK" />').split('MARK')
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
      res.end(Buffer.concat([Buffer.from(head!), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(tail!)]))
    },
  },
  {
    name: 'html-error-page',
    api: 'inforouter',
    bindings: ['soap11', 'http-get'],
    category: 'schema',
    message: /text\/html/,
    act: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(
        "<!DOCTYPE html>\n<html><head><title>Runtime Error</title></head><body><h1>Server Error in '/' Application.</h1><p>Object reference not set to an instance of an object.<br></p></body></html>",
      )
    },
  },
  {
    name: 'wrong-content-type',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'schema',
    message: /Content-Type is "application\/json"/,
    act: (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(envelope(SUCCESS))
    },
  },
  {
    name: 'external-entity',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'schema',
    message: /DOCTYPE is not allowed/,
    act: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
      res.end(envelope('<response success="true" error="&xxe;" />', '<!DOCTYPE soap:Envelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'))
    },
  },
  {
    name: 'entity-bomb',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'schema',
    message: /DOCTYPE is not allowed/,
    act: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
      res.end(envelope('<response success="true" error="&lol9;" />', laughs))
    },
  },
  {
    name: 'soap-doctype',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'schema',
    message: /DOCTYPE is not allowed/,
    act: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
      res.end(envelope(SUCCESS, '<!DOCTYPE soap:Envelope>'))
    },
  },
  {
    name: 'xml-nesting-bomb',
    api: 'inforouter',
    bindings: ['soap11', 'http-get'],
    category: 'schema',
    message: /nested deeper than \d+/,
    act: (req, res) => {
      const deep = `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
      res.end(req.method === 'GET' ? deep : envelope(deep))
    },
  },
  {
    name: 'xml-element-flood',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'schema',
    message: /more than \d+ elements/,
    act: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
      res.end(envelope(`<response success="true" error="">${'<x/>'.repeat(220_000)}</response>`))
    },
  },
  {
    name: 'json-nesting-bomb',
    api: 'ecgrid-rest',
    bindings: ['rest-json'],
    category: 'schema',
    message: /nested deeper than \d+/,
    act: (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(`{"success":true,"data":${'['.repeat(400_000)}${']'.repeat(400_000)}}`)
    },
  },
  {
    name: 'json-truncated',
    api: 'ecgrid-rest',
    bindings: ['rest-json'],
    category: 'schema',
    message: /not JSON/,
    act: (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"success":true,"data":{"userId":1,"email":"jane@exa')
    },
  },
  {
    name: 'json-html-error-page',
    api: 'ecgrid-rest',
    bindings: ['rest-json'],
    category: 'schema',
    message: /text\/html/,
    act: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<html><body><h1>502 Bad Gateway</h1></body></html>')
    },
  },
  {
    name: 'early-hints',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'passed',
    message: /^$/,
    act: (req) => raw(req, `HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n${answer200(envelope(SUCCESS))}`),
  },
  {
    // An interim 100 Continue the client never asked for: undici 8 takes it for a broken answer and closes the
    // connection, and its public API offers no way to read past it. A failed check of category transport, on time.
    name: 'continue-then-answer',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'transport',
    message: /connection was closed/,
    act: (req) => raw(req, `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n${answer200(envelope(SUCCESS))}`),
  },
  {
    // 4.9 MB: the size of the answer that killed the worker before values were counted.
    name: 'json-wide-object',
    api: 'ecgrid-rest',
    bindings: ['rest-json'],
    category: 'schema',
    message: /more than 100000 values/,
    act: (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(`{"success":true,"data":{${Array.from({ length: 420_000 }, (_, i) => `"k${i}":0`).join(',')}}}`)
    },
  },
  {
    name: 'xml-attribute-flood',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'schema',
    message: /more than 1000 attributes/,
    act: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
      res.end(envelope(`<response success="true" error=""${Array.from({ length: 400_000 }, (_, i) => ` a${i}=""`).join('')} />`))
    },
  },
  {
    name: 'xml-attributes-spread',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'schema',
    message: /more than 100000 attributes/,
    act: (_req, res) => {
      const element = `<x${Array.from({ length: 900 }, (_, i) => ` a${i}=""`).join('')} />`
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
      res.end(envelope(`<response success="true" error="">${element.repeat(200)}</response>`))
    },
  },
  {
    // A well-formed answer whose 4.6 MB error text lands in the failure message: the report keeps its start.
    name: 'huge-message',
    api: 'inforouter',
    bindings: ['soap11'],
    category: 'behaviour',
    resentOnce: true,
    message: /… \[cut: 4\.\d MB more\]/,
    act: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' })
      res.end(envelope(`<response success="false" error="${'Object reference not set to an instance of an object. '.repeat(88_000)}" />`))
    },
  },
]

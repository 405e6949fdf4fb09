/**
 * The reference's HTTP edge: reads each request (capped), routes it to the first mount that claims its path,
 * and writes the answer. Anything thrown below is answered with a fixed text, never a stack trace.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { TLSSocket } from 'node:tls'
import { setTimeout as delay } from 'node:timers/promises'
import type { LoadMeter } from '../observe/load.ts'
import { CONTROL_PREFIX } from '../control/mount.ts'
import { readBody } from './body.ts'
import { textAnswer, type HttpAnswer, type HttpCall, type Mount } from './types.ts'

/** Serve HTTPS with this certificate; with `clientCa`, every client must present a certificate it issued. */
export interface ServerTls {
  readonly cert: string | Buffer
  readonly key: string | Buffer
  readonly clientCa?: string | Buffer
}

export interface HttpServerOptions {
  readonly maxRequestBytes: number
  readonly mounts: readonly Mount[]
  readonly tls?: ServerTls
  /** Counts API requests in flight (overall and per user) and their arrival times; the control endpoint is not counted. */
  readonly meter?: LoadMeter
  /** API answers wait this long before they are sent (the control endpoint answers at once). */
  readonly latencyMs?: number
}

const DRAIN_FLOOR_BYTES = 4 * 1024 * 1024
const HOST_HEADER = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/

function safeDecodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath)
  } catch {
    return rawPath
  }
}

function originOf(req: IncomingMessage): string {
  const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http'
  const host = req.headers.host
  if (host !== undefined && HOST_HEADER.test(host)) return `${scheme}://${host}`
  const address = req.socket.localAddress ?? '127.0.0.1'
  const hostPart = address.includes(':') ? `[${address}]` : address
  return `${scheme}://${hostPart}:${req.socket.localPort ?? (scheme === 'https' ? 443 : 80)}`
}

function rawPathOf(req: IncomingMessage): string {
  const target = req.url ?? '/'
  const q = target.indexOf('?')
  return q < 0 ? target : target.slice(0, q)
}

function toCall(req: IncomingMessage, body: Buffer): HttpCall {
  const target = req.url ?? '/'
  const q = target.indexOf('?')
  const rawPath = rawPathOf(req)
  return {
    method: req.method ?? 'GET',
    path: safeDecodePath(rawPath),
    rawPath,
    query: q < 0 ? '' : target.slice(q + 1),
    headers: req.headers,
    body,
    origin: originOf(req),
  }
}

function send(res: ServerResponse, answer: HttpAnswer, close = false): void {
  if (res.headersSent || res.destroyed) return
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body
  res.statusCode = answer.status
  if (answer.reason !== undefined) res.statusMessage = answer.reason
  if (answer.contentType !== undefined) res.setHeader('Content-Type', answer.contentType)
  res.setHeader('Cache-Control', 'private, max-age=0')
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value)
  if (answer.chunked !== true) res.setHeader('Content-Length', body.byteLength)
  if (close) res.setHeader('Connection', 'close')
  if (answer.chunked === true) {
    sendChunked(res, body)
    return
  }
  res.end(body)
}

/** Without a Content-Length, Node frames an HTTP/1.1 answer as chunked; two writes make two chunks. */
function sendChunked(res: ServerResponse, body: Uint8Array): void {
  const half = Math.ceil(body.byteLength / 2)
  if (half > 0) res.write(body.subarray(0, half))
  res.end(body.subarray(half))
}

const NOT_FOUND = textAnswer(404, 'Not found.')
const TOO_LARGE = textAnswer(413, 'Request entity too large.')
const SERVER_ERROR = textAnswer(500, 'An error occurred on the server.')

export function createHttpServer(options: HttpServerOptions): Server {
  const drainBytes = Math.max(options.maxRequestBytes * 4, DRAIN_FLOOR_BYTES)

  const { meter } = options
  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const mark = meter?.begin(!rawPathOf(req).startsWith(CONTROL_PREFIX))
    if (mark) res.once('close', () => meter!.end(mark))
    const read = await readBody(req, options.maxRequestBytes, drainBytes)
    if (read.kind === 'aborted') return
    if (read.kind === 'too-large') {
      const path = safeDecodePath(rawPathOf(req))
      send(res, options.mounts.find((m) => m.matches(path))?.tooLarge?.() ?? TOO_LARGE, !read.drained)
      if (!read.drained) res.once('finish', () => req.socket.destroySoon())
      return
    }
    const call = toCall(req, read.body)
    const mount = options.mounts.find((m) => m.matches(call.path))
    if (!mount) return send(res, NOT_FOUND)
    const answer = await (mark ? meter!.within(mark, () => mount.handle(call)) : mount.handle(call))
    if (options.latencyMs && mount.name !== 'control') await delay(options.latencyMs)
    send(res, answer)
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    onRequest(req, res).catch(() => send(res, SERVER_ERROR))
  }
  const { tls } = options
  const server: Server = tls
    ? createHttpsServer({ cert: tls.cert, key: tls.key, ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}) }, handler)
    : createServer(handler)
  server.requestTimeout = 30_000
  server.headersTimeout = 15_000
  return server
}

import type { IncomingMessage } from 'node:http'

export type BodyResult =
  | { readonly kind: 'ok'; readonly body: Buffer }
  | { readonly kind: 'too-large'; readonly drained: boolean }
  | { readonly kind: 'aborted' }

/**
 * Reads a request body up to `maxBytes`. A larger body is discarded (read and dropped, so the client can
 * read our 413) up to `drainBytes`; beyond that, or when Content-Length already announces more than that,
 * we stop reading at once and the connection is closed after the answer.
 */
export function readBody(req: IncomingMessage, maxBytes: number, drainBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN)
  if (Number.isFinite(declared) && declared > drainBytes) {
    return Promise.resolve({ kind: 'too-large', drained: false })
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let total = 0
    let settled = false
    const settle = (result: BodyResult): void => {
      if (settled) return
      settled = true
      resolve(result)
    }
    req.on('data', (chunk: Buffer) => {
      total += chunk.length
      if (total <= maxBytes) chunks.push(chunk)
      else if (total > drainBytes) {
        req.pause()
        settle({ kind: 'too-large', drained: false })
      }
    })
    req.on('end', () => {
      settle(total > maxBytes ? { kind: 'too-large', drained: true } : { kind: 'ok', body: Buffer.concat(chunks) })
    })
    req.on('error', () => settle({ kind: 'aborted' }))
    req.on('close', () => settle({ kind: 'aborted' }))
  })
}

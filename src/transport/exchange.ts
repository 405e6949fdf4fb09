import type { Dispatcher } from 'undici'
import type { WireRequest } from '../bindings/types.ts'

export interface RawAnswer {
  status: number
  headers: Record<string, string>
  body: Buffer
}

/**
 * One request through undici's dispatch API, the whole answer collected: no Readable, no AbortController per request
 * (undici's `request` builds both, and they were most of a request's cost on our side). The deadline (a TimeoutError)
 * and the caller's signal abort the exchange through undici's controller; an answer `refuse` names an error for is
 * aborted unread. Header names are lower-case, repeated headers joined with ", ".
 */
export function exchange(
  agent: Dispatcher,
  req: WireRequest,
  timeoutMs: number,
  signal?: AbortSignal,
  refuse?: (status: number, headers: Record<string, string>) => Error | undefined,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined
    let reason: unknown
    const abort = (why: unknown) => {
      reason ??= why
      controller?.abort(why as Error)
    }
    const timer = setTimeout(() => abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs)
    const stopped = () => abort(signal!.reason)
    const settle = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', stopped)
    }
    if (signal?.aborted) {
      settle()
      reject(signal.reason)
      return
    }
    signal?.addEventListener('abort', stopped, { once: true })
    let status = 0
    let headers: Record<string, string> = {}
    const chunks: Buffer[] = []
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c
        if (reason !== undefined) c.abort(reason as Error)
      },
      onResponseStart(c, statusCode, raw) {
        if (statusCode < 200) return
        status = statusCode
        headers = {}
        for (const [k, v] of Object.entries(raw)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
        const refused = refuse?.(statusCode, headers)
        if (refused) abort(refused)
        else controller = c
      },
      onResponseData(_c, chunk) {
        chunks.push(chunk)
      },
      onResponseEnd() {
        settle()
        resolve({ status, headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) })
      },
      onResponseError(_c, e) {
        settle()
        reject(reason ?? e)
      },
    }
    const url = new URL(req.url)
    try {
      agent.dispatch(
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: req.method,
          // Answers are never decoded: a compressed one could be a decompression bomb.
          headers: { 'accept-encoding': 'identity', ...req.headers },
          ...(req.body !== undefined ? { body: req.body } : {}),
        },
        handler,
      )
    } catch (e) {
      settle()
      reject(e)
    }
  })
}

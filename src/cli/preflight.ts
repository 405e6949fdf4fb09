import { request } from 'undici'
import { resolveEnv } from '../config.ts'
import { ConformError } from '../errors.ts'
import { createDispatcher, proxyFromEnv } from '../net/dispatcher.ts'
import { networkFailure } from '../net/failure.ts'
import { inParallel } from '../in-parallel.ts'
import { loadTlsMaterial, tlsWarnings } from '../net/tls-material.ts'
import type { TargetConfig } from '../spec/model.ts'
import type { Slots } from '../transport/slots.ts'

export interface PreflightOptions {
  env?: NodeJS.ProcessEnv
  /** Where warnings go (default stderr): an insecure target is announced on every run. */
  warn?: (line: string) => void
  /**
   * The gate of requests in flight to the target when others share its budget (the account preflight, alongside):
   * each GET holds a slot of it until its answer is drained. Absent: at most limits.concurrency GETs of its own.
   */
  slots?: Slots
}

/**
 * Before any check: the target's TLS settings can be read (else exit 2), and every configured base URL
 * answers at all, any HTTP status, over the same TLS and proxies the checks will use (else exit 3).
 */
export async function preflight(target: TargetConfig, opts: PreflightOptions = {}): Promise<void> {
  const env = opts.env ?? process.env
  const warn = opts.warn ?? ((line: string) => process.stderr.write(`${line}\n`))
  const proxy = proxyFromEnv(env)
  const network = { tls: loadTlsMaterial(target.tls, env), ...(proxy ? { proxy } : {}) }
  for (const line of tlsWarnings(target)) warn(line)
  const apis = Object.entries(target.apis)
  // Any answer will do, so no size cap (-1): the body is only drained. As many at once as the target allows.
  const dispatcher = createDispatcher(
    { connections: Math.max(1, Math.min(apis.length, target.limits.concurrency)), timeoutMs: target.limits.timeoutMs, maxBodyBytes: -1 },
    network,
  )
  try {
    const rps = target.limits.requestsPerSecond
    const reach = async ([api, a]: (typeof apis)[number]) => {
      // Its variables are known to be set and to make a URL without credentials (requireEnv, before this).
      const baseUrl = resolveEnv(a.baseUrl, env)
      const get = async () => {
        const res = await request(baseUrl, { method: 'GET', dispatcher, signal: AbortSignal.timeout(target.limits.timeoutMs) })
        await res.body.dump()
      }
      try {
        await (opts.slots ? opts.slots.run(get) : get())
      } catch (e) {
        const where = `target ${target.name}: ${api} at ${baseUrl}`
        const net = networkFailure(e, new URL(baseUrl), network)
        if (net) throw new ConformError(net.code, 'transport', `${where}: ${net.message}`)
        const code = (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name
        throw new ConformError(
          'TARGET_UNREACHABLE',
          'transport',
          `${where} could not be reached (${code}); check the URL, the network, proxies and certificates`,
        )
      }
    }
    if (rps) {
      // These requests count against the target's pace too (the account preflight and the checks follow them).
      for (const [i, entry] of apis.entries()) {
        if (i > 0) await new Promise((r) => setTimeout(r, 1000 / rps))
        await reach(entry)
      }
    } else {
      // Every answer awaited, then the first failure in the config's order: the same error whatever answers first.
      const failures: unknown[] = apis.map(() => undefined)
      await inParallel(
        apis.map(
          (entry, i) => () =>
            reach(entry).catch((e: unknown) => {
              failures[i] = e
            }),
        ),
        target.limits.concurrency,
      )
      const failed = failures.find((e) => e !== undefined)
      if (failed !== undefined) throw failed
    }
  } finally {
    await dispatcher.close()
  }
}

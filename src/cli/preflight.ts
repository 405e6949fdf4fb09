import { request } from 'undici'
import { ConformError } from '../errors.ts'
import type { TargetConfig } from '../spec/model.ts'

/** Before any check: every configured base URL answers at all (any HTTP status will do). Otherwise exit 3. */
export async function preflight(target: TargetConfig): Promise<void> {
  for (const [api, a] of Object.entries(target.apis)) {
    try {
      const res = await request(a.baseUrl, { method: 'GET', signal: AbortSignal.timeout(target.limits.timeoutMs) })
      await res.body.dump()
    } catch (e) {
      const code = (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name
      throw new ConformError('TARGET_UNREACHABLE', 'transport', `target ${target.name}: ${api} at ${a.baseUrl} could not be reached (${code}); check the URL, the network, proxies and certificates`)
    }
  }
}

import { proxyFromEnv, type NetworkSettings } from './dispatcher.ts'
import { loadTlsMaterial } from './tls-material.ts'
import type { ResolvedTarget } from '../engine/target.ts'

/** How to reach a target: its TLS material, and the environment's proxy unless the target is reached directly. */
export function networkFor(target: Pick<ResolvedTarget, 'tls' | 'direct'>): NetworkSettings {
  const proxy = target.direct ? undefined : proxyFromEnv()
  return { tls: loadTlsMaterial(target.tls), ...(proxy ? { proxy } : {}) }
}

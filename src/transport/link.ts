import type { Dispatcher } from 'undici'
import { createDispatcher, type NetworkSettings } from '../net/dispatcher.ts'
import type { Limits } from '../spec/model.ts'
import type { Slots } from './slots.ts'

/**
 * What a run keeps to a configured target from its preflight to its last check: the request slots (at most
 * `limits.concurrency` in flight, whichever part of the run sends) and the open connections. The checks start on the
 * connections the preflight opened: a staging target's TCP (and TLS) handshakes are paid once, not again.
 */
export class TargetLink {
  readonly slots: Slots
  readonly dispatcher: Dispatcher

  constructor(slots: Slots, limits: Pick<Limits, 'concurrency' | 'timeoutMs' | 'maxBodyBytes'>, network: NetworkSettings) {
    this.slots = slots
    this.dispatcher = createDispatcher({ connections: limits.concurrency, timeoutMs: limits.timeoutMs, maxBodyBytes: limits.maxBodyBytes }, network)
  }

  close(): Promise<void> {
    return this.dispatcher.close()
  }
}

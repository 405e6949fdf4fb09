/** `POST /__reference/clock {"advanceMs": n}`: moves the reference's clock forward (ticket expiry tests). */
import type { Clock } from '../clock.ts'
import { badRequest, noContent, type ControlRoute } from './routes.ts'

export function clockRoute(clock: Clock): ControlRoute {
  return {
    method: 'POST',
    pattern: '/__reference/clock',
    handle: ({ body }) => {
      const advanceMs = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).advanceMs : undefined
      if (typeof advanceMs !== 'number' || !Number.isSafeInteger(advanceMs) || advanceMs < 0) {
        return badRequest('expected {"advanceMs": <non-negative integer>}')
      }
      clock.advance(advanceMs)
      return noContent
    },
  }
}

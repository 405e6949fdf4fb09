/** `GET /__reference/stats`: the load the reference has seen (see observe/load.ts); `DELETE` starts counting afresh. */
import type { LoadMeter } from '../observe/load.ts'
import { json, noContent, type ControlRoute } from './routes.ts'

export function statsRoutes(meter: LoadMeter): ControlRoute[] {
  return [
    { method: 'GET', pattern: '/__reference/stats', handle: () => json(200, meter.stats()) },
    {
      method: 'DELETE',
      pattern: '/__reference/stats',
      handle: () => {
        meter.reset()
        return noContent
      },
    },
  ]
}

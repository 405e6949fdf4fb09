import { expect, test } from 'vitest'
import { Transport } from '../../src/transport/index.ts'

test('requestsPerSecond holds when the event loop stalls: requests waiting for their turn do not leave together after it', async () => {
  const transport = new Transport({ timeoutMs: 1000, maxBodyBytes: 1000, connections: 8, requestsPerSecond: 10 })
  const starts: number[] = []
  const sent = Array.from({ length: 6 }, () =>
    transport.gate(async () => {
      starts.push(performance.now())
    }),
  )
  // The first starts at once; while the others wait for their turn, the loop is blocked for 0.35 s (a module load, a
  // parse): three turns pass meanwhile, and the requests behind them must still start 1/rps apart.
  await new Promise((r) => setTimeout(r, 10))
  const until = performance.now() + 350
  while (performance.now() < until) {
    /* a stalled event loop */
  }
  await Promise.all(sent)
  const gaps = starts.slice(1).map((t, i) => t - starts[i]!)
  expect(Math.min(...gaps), `gaps ${gaps.map((g) => g.toFixed(0)).join(', ')} ms`).toBeGreaterThanOrEqual(95)
  await transport.close()
})

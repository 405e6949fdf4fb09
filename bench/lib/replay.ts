/**
 * Replays a run's HAR with a plain undici loop: the same requests, byte for byte, check by check (each check's
 * requests one after another, as the suite sends them), `concurrency` checks at a time, in the order the run started
 * them. Only what must change changes: the origin (a fresh reference listens elsewhere) and the control key (the
 * HAR shows it as ***, like every secret). Tickets, session IDs and API keys stay *** too, so the requests that carried
 * one are refused instead of served; the replay counts how many answers differ from the recorded ones.
 */
import { Agent, request } from 'undici'
import type { Har } from '../../src/report/har.ts'

type Entry = Har['log']['entries'][number]

export interface ReplayResult {
  requests: number
  /** First request sent to last answer read. */
  spanMs: number
  /** Answers whose status differs from the recorded one. */
  statusDiffers: number
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'upgrade', 'expect', 'proxy-connection'])

/** The HAR's checks: each one's requests in recorded order; checks in the order their first request went out. */
export function checksOf(har: Har): Entry[][] {
  const pages = new Map<string, Entry[]>()
  for (const e of har.log.entries) {
    const list = pages.get(e.pageref) ?? []
    list.push(e)
    pages.set(e.pageref, list)
  }
  return [...pages.values()].sort((a, b) => Date.parse(a[0]!.startedDateTime) - Date.parse(b[0]!.startedDateTime))
}

export async function replay(har: Har, target: { url: string; controlKey: string }, concurrency: number): Promise<ReplayResult> {
  const checks = checksOf(har)
  const agent = new Agent({ connections: concurrency })
  const prepared = checks.map((entries) => entries.map((e) => {
    const u = new URL(e.request.url)
    const headers: Record<string, string> = {}
    for (const h of e.request.headers) {
      const name = h.name.toLowerCase()
      if (HOP_BY_HOP.has(name)) continue
      headers[name] = name === 'x-reference-control' ? target.controlKey : h.value
    }
    return { url: `${target.url}${u.pathname}${u.search}`, method: e.request.method, headers, body: e.request.postData?.text, status: e.response.status }
  }))
  let statusDiffers = 0
  let requests = 0
  let next = 0
  const t0 = performance.now()
  const worker = async () => {
    while (next < prepared.length) {
      for (const r of prepared[next++]!) {
        const res = await request(r.url, { method: r.method as 'GET', headers: r.headers, ...(r.body !== undefined ? { body: r.body } : {}), dispatcher: agent })
        await res.body.arrayBuffer()
        requests++
        if (res.statusCode !== r.status) statusDiffers++
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, prepared.length) }, worker))
  const spanMs = performance.now() - t0
  await agent.close()
  return { requests, spanMs, statusDiffers }
}

import { classify, summarise, type CheckComparison } from './classify.ts'
import { learnNoise } from './noise.ts'
import type { RunRecord } from './run-record.ts'
import { wsdlDrift, wsdlFacts, type WsdlChange } from './wsdl.ts'
import type { FetchedWsdl } from './collect-wsdls.ts'
import type { NotComparedApi } from './targets.ts'

export interface WsdlComparison {
  api: string
  baseline: string
  candidate: string
  /** Why the WSDLs could not be compared (not served, not XML). */
  error?: string
  changes: WsdlChange[]
}

/** migration.json: everything that behaves differently between two targets. */
export interface MigrationReport {
  tool: { name: string; version: string }
  seed: number
  startedAt: string
  durationMs: number
  baseline: { target: string; deviations: string[]; runs: string[] }
  candidate: { target: string; deviations: string[]; run: string }
  /** Blockers: regressions and WSDL changes that break a generated client. */
  verdict: 'blocked' | 'clear'
  summary: ReturnType<typeof summarise> & { wsdlBreaking: number; wsdlNotices: number }
  noise: { keys: number; ignored: string[]; formatOnly: string[]; identifiers: string[] }
  /** The APIs both targets offer, which were compared; each other one with why it was not (never a blocker). */
  apis: { compared: string[]; notCompared: NotComparedApi[] }
  wsdl: WsdlComparison[]
  checks: CheckComparison[]
}

export interface MigrationInput {
  tool: { name: string; version: string }
  startedAt: string
  durationMs: number
  baseline: [RunRecord, RunRecord]
  candidate: RunRecord
  wsdls: { baseline: FetchedWsdl[]; candidate: FetchedWsdl[] }
  /** Default: the APIs the runs covered, all compared. */
  apis?: { compared: string[]; notCompared: NotComparedApi[] }
}

/** Pure: the three runs and the WSDLs in, the comparison out. */
export function buildMigration(input: MigrationInput): MigrationReport {
  const [first, second] = input.baseline
  const noise = learnNoise(first, second)
  const checks = classify(first, second, input.candidate, noise)
  const wsdl = compareWsdls(input.wsdls.baseline, input.wsdls.candidate)
  const breaking = wsdl.flatMap((w) => w.changes).filter((c) => c.severity === 'breaking').length
  const notices = wsdl.flatMap((w) => w.changes).length - breaking
  const summary = { ...summarise(checks), wsdlBreaking: breaking, wsdlNotices: notices }
  summary.blockers += breaking
  return {
    tool: input.tool,
    seed: first.seed,
    startedAt: input.startedAt,
    durationMs: input.durationMs,
    baseline: { target: first.target, deviations: first.deviations, runs: [first.dir, second.dir] },
    candidate: { target: input.candidate.target, deviations: input.candidate.deviations, run: input.candidate.dir },
    verdict: summary.blockers > 0 ? 'blocked' : 'clear',
    summary,
    apis: input.apis ?? { compared: [...new Set(checks.map((c) => c.api))].sort(), notCompared: [] },
    noise: {
      keys: noise.values.size,
      ignored: [...noise.shapes].sort(),
      formatOnly: [...noise.values].filter((k) => !noise.shapes.has(k)).sort(),
      identifiers: [...noise.identifiers].sort(),
    },
    wsdl,
    checks,
  }
}

function compareWsdls(baseline: FetchedWsdl[], candidate: FetchedWsdl[]): WsdlComparison[] {
  const apis = [...new Set([...baseline, ...candidate].map((w) => w.api))].sort()
  return apis.map((api) => {
    const [b, c] = [baseline.find((w) => w.api === api), candidate.find((w) => w.api === api)]
    const base = { api, baseline: b?.url ?? '(not offered)', candidate: c?.url ?? '(not offered)' }
    if (b?.text && !c?.text) {
      return {
        ...base,
        changes: [
          {
            severity: 'breaking',
            fact: 'WSDL',
            baseline: b.url,
            effect: `the candidate serves no WSDL${c?.error ? ` (${c.error})` : ''}: clients cannot be generated from it`,
          },
        ],
      }
    }
    if (!b?.text || !c?.text) {
      return {
        ...base,
        error: `no WSDL from the ${!b?.text ? 'baseline' : 'candidate'}${(!b?.text ? b?.error : c?.error) ? `: ${!b?.text ? b?.error : c?.error}` : ''}`,
        changes: [],
      }
    }
    try {
      return { ...base, changes: wsdlDrift(wsdlFacts(b.text), wsdlFacts(c.text)) }
    } catch (e) {
      return { ...base, error: `a WSDL could not be read: ${(e as Error).message}`, changes: [] }
    }
  })
}

import type { CheckResult } from '../engine/result.ts'

/** What one deviation did to the suite: which declared behaviours were caught, and any failure that speaks of others. */
export interface DeviationVerdict {
  deviation: string
  api: string
  declared: string[]
  caught: string[]
  missed: string[]
  /** Failures that name none of the declared behaviours: the suite blamed something the deviation did not break. */
  falseAlarms: Array<{ check: string; behaviours: string[]; message: string }>
  failingChecks: string[]
}

export const notPassed = (r: CheckResult): boolean => r.status === 'failed' || r.status === 'warned'

/** Pure: judges a run against the reference with one deviation applied. */
export function judgeDeviation(deviation: { name: string; api: string; breaks: readonly string[] }, results: CheckResult[]): DeviationVerdict {
  const failing = results.filter(notPassed)
  const declared = [...deviation.breaks]
  const caught = declared.filter((b) => failing.some((r) => r.failures.some((f) => f.behaviours.includes(b))))
  return {
    deviation: deviation.name,
    api: deviation.api,
    declared,
    caught,
    missed: declared.filter((b) => !caught.includes(b)),
    falseAlarms: failing.flatMap((r) =>
      r.failures.filter((f) => !f.behaviours.some((b) => declared.includes(b))).map((f) => ({ check: r.id, behaviours: f.behaviours, message: f.message })),
    ),
    failingChecks: failing.map((r) => r.id).sort(),
  }
}

/** One alarm: a check that failed or warned against a variation (something the documentation allows). */
export interface Alarm {
  check: string
  status: 'failed' | 'warned'
  behaviours: string[]
  message: string
}

/** What one variation did to the suite: every check that did not pass is an alarm, whatever it blamed. */
export interface VariationVerdict {
  variation: string
  api: string
  alarms: Alarm[]
  failingChecks: string[]
}

/** Pure: judges a run against the reference with one variation applied. */
export function judgeVariation(variation: { name: string; api: string }, results: CheckResult[]): VariationVerdict {
  const failing = results.filter(notPassed)
  return {
    variation: variation.name,
    api: variation.api,
    alarms: failing.flatMap((r) => {
      const status = r.status as Alarm['status']
      return r.failures.length > 0
        ? r.failures.map((f) => ({ check: r.id, status, behaviours: f.behaviours, message: f.message }))
        : [{ check: r.id, status, behaviours: r.covers, message: r.message ?? '' }]
    }),
    failingChecks: failing.map((r) => r.id).sort(),
  }
}

export interface SelfCheckReport {
  seed: number
  durationMs: number
  plain: { checks: number; notPassed: Array<{ check: string; message: string | null }> }
  deviations: DeviationVerdict[]
  variations: VariationVerdict[]
  summary: { deviations: number; caught: number; falseAlarms: number; variations: number; alarmed: number; plainConformant: boolean }
}

export function summarise(
  seed: number,
  durationMs: number,
  plain: CheckResult[],
  verdicts: DeviationVerdict[],
  variations: VariationVerdict[] = [],
): SelfCheckReport {
  const plainFailures = plain.filter((r) => r.status !== 'passed').map((r) => ({ check: r.id, message: r.message }))
  return {
    seed,
    durationMs,
    plain: { checks: plain.length, notPassed: plainFailures },
    deviations: verdicts,
    variations,
    summary: {
      deviations: verdicts.length,
      caught: verdicts.filter((v) => v.missed.length === 0).length,
      falseAlarms: verdicts.reduce((n, v) => n + v.falseAlarms.length, 0),
      variations: variations.length,
      alarmed: variations.filter((v) => v.alarms.length > 0).length,
      plainConformant: plainFailures.length === 0,
    },
  }
}

/** The published figure. */
export function headline(r: SelfCheckReport): string {
  return `caught ${r.summary.caught} of ${r.summary.deviations} deviations, ${r.summary.falseAlarms} false alarms; ${r.summary.alarmed} of ${r.summary.variations} variations raised an alarm; plain reference ${r.summary.plainConformant ? `conformant (${r.plain.checks} checks)` : `NOT conformant (${r.plain.notPassed.length} of ${r.plain.checks} checks did not pass)`}`
}

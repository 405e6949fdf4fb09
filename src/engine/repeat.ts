/**
 * `--repeat N`: a check runs N times, each run with its own seed (the run's id is `<check>#k`, and seeds derive from
 * it), and is reported once: the worst status, every run's failures (prefixed `#k`), and counts per status. Only the
 * first run's exchanges and steps and those of the first few runs that did not pass are kept, so that memory and the
 * HAR stay flat however large N is.
 */
import type { Check } from './plan.ts'
import type { CheckResult, CheckStatus, RecordedExchange, RepeatSummary } from './result.ts'

/** How many non-passing runs keep their exchanges and steps (the first run always does). */
export const KEPT_RUNS_NOT_PASSED = 3

const RANK: Record<CheckStatus, number> = { failed: 4, warned: 3, passed: 2, skipped: 1 }

/** Run k (1-based) of a check: the first is the check itself, so `--repeat 1` changes nothing. */
export function repetition(c: Check, k: number): Check {
  return k === 1 ? c : { ...c, id: `${c.id}#${k}` }
}

/** Folds the runs of one check into one result as they arrive, in any order. */
export class Repeated {
  private wanted: number
  private readonly results: Array<CheckResult | undefined>
  private readonly summary: RepeatSummary = { runs: 0, passed: 0, failed: 0, warned: 0, skipped: 0, notPassed: [] }
  private keptNotPassed = 0
  /**
   * Passed runs after the first: nothing of theirs is reported but their time and requests, so that is all that is
   * kept (a whole result per run made memory grow with N), and one of them to stand for the check if run 1 never came.
   */
  private readonly folded = { runs: 0, durationMs: 0, requests: 0, stand: undefined as CheckResult | undefined }

  constructor(runs: number) {
    this.wanted = runs
    this.results = new Array(runs)
  }

  /** Runs still to be reported, plus those already in. */
  get expected(): number {
    return this.wanted
  }

  get complete(): boolean {
    return this.summary.runs === this.wanted
  }

  /** Records run k (1-based), keeping its exchanges and steps only while they are worth keeping. */
  add(k: number, r: CheckResult): void {
    this.summary.runs++
    this.summary[r.status]++
    if (r.status !== 'passed') this.summary.notPassed.push(k)
    let kept = r
    if (k !== 1 && r.status === 'passed') {
      this.folded.runs++
      this.folded.durationMs += r.durationMs
      this.folded.requests += r.requests
      this.folded.stand ??= { ...r, exchanges: [], control: [], steps: [], failures: [] }
      return
    }
    if (r.status !== 'passed' && this.keptNotPassed++ >= KEPT_RUNS_NOT_PASSED && k !== 1) kept = { ...r, exchanges: [], control: [], steps: [] }
    this.results[k - 1] = kept
  }

  /** Runs that will never come (the run was cancelled before they started). */
  abandon(count: number): void {
    this.wanted -= count
  }

  /** The check as reported; with one run, exactly that run's result. */
  result(): CheckResult | undefined {
    const got = this.results.flatMap((r, i) => (r ? [{ r, k: i + 1 }] : []))
    if (this.results.length === 1) return got[0]?.r
    const stand = this.folded.stand
    if (got.length === 0 && !stand) return undefined
    const first = got[0]?.r ?? stand!
    const worst = got.reduce((a, b) => (RANK[b.r.status] > RANK[a.r.status] ? b : a), { r: first, k: 0 })
    const exchanges: CheckResult['exchanges'] = []
    const control: RecordedExchange[] = got.flatMap(({ r }) => r.control ?? [])
    const steps: CheckResult['steps'] = []
    for (const { r, k } of got) {
      const offset = exchanges.length
      exchanges.push(...r.exchanges)
      for (const s of r.steps) steps.push({ ...s, detail: `run #${k}${s.detail ? `: ${s.detail}` : ''}`, exchanges: s.exchanges.map((i) => i + offset) })
    }
    const status = worst.r.status
    const messages = got
      .filter(({ r }) => r.status !== 'passed' && r.message)
      .map(({ r, k }) =>
        r
          .message!.split('\n')
          .map((m) => `#${k}: ${m}`)
          .join('\n'),
      )
    return {
      ...first,
      id: first.id.replace(/#\d+$/, ''),
      status,
      category: status === 'passed' || status === 'skipped' ? null : worst.r.category,
      message: status === 'passed' ? null : messages.join('\n') || null,
      failures: got.flatMap(({ r, k }) => r.failures.map((f) => ({ ...f, message: `#${k}: ${f.message}` }))),
      durationMs: got.reduce((n, { r }) => n + r.durationMs, this.folded.durationMs),
      requests: got.reduce((n, { r }) => n + r.requests, this.folded.requests),
      exchanges,
      ...(control.length ? { control } : {}),
      steps,
      repeat: { ...this.summary, notPassed: [...this.summary.notPassed].sort((a, b) => a - b) },
    }
  }
}

/**
 * The verdict rules, once: what a failure weighs, what a check and a cell of the matrix say, what the run as a whole
 * says, and the exit code a pipeline acts on. Used by the engine, run, merge, compare and the self-check. Pure.
 */
import type { Category } from '../errors.ts'
import type { Level } from '../spec/model.ts'

/** A behaviour × binding cell. `not verified`: no check of it executed (the reason says why). */
export type CellStatus = 'passed' | 'failed' | 'warned' | 'not verified'

/**
 * - conformant: no MUST failed and every selected MUST cell was verified
 * - not conformant: a MUST failed (or a SHOULD, with --strict)
 * - incomplete: nothing failed, but some selected MUST cell could not be verified
 * - suite error: the suite itself failed (an internal error); never a verdict on the target
 * - interrupted: the run was stopped (SIGINT/SIGTERM) before it ended; never a verdict on the target
 */
export type Verdict = 'conformant' | 'not conformant' | 'incomplete' | 'suite error' | 'interrupted'

/** Exit codes, documented in every command's --help, the README and docs/staging.md. */
export const EXIT = {
  conformant: 0,
  notConformant: 1,
  usage: 2,
  targetUnusable: 3,
  incomplete: 4,
  suiteError: 70,
} as const

export const EXIT_CODES_HELP = `Exit codes:
  0   conformant: no MUST behaviour failed, and every selected MUST cell was verified
  1   not conformant: a MUST check failed (or a SHOULD check, with --strict)
  2   bad usage, spec or config, or filters that together select no check (nothing was sent); a --config
      file that does not exist is CONFIG_NOT_FOUND
  3   the target cannot be used: unreachable, TLS or proxy failure, or a fixture account that cannot log in,
      is missing or cannot be read (the message names the API, role, account and the variables to check)
  4   incomplete: no MUST failed, but some selected MUST cell could not be verified, or only by some of its
      checks (writes not allowed, the target lacks what a spec needs, the run was stopped); the summary
      says how many and why
  70  the suite itself failed (a worker died, out of memory, an internal error): never a verdict
  130/143  interrupted by SIGINT/SIGTERM (fixture users restored first)
`

/** Why a cell could not be verified, when no check says. */
export const NO_CHECK_REASON = 'no check of this behaviour ran on this binding'

/**
 * What a failure weighs against a behaviour of `level`: that level when the failure is about the behaviour (category
 * behaviour or schema); MUST when it is a setup or transport failure, which verified nothing.
 */
export function failureWeight(category: Category, level: Level): Level {
  return category === 'behaviour' || category === 'schema' ? level : 'MUST'
}

/** Whether a failure of this weight fails (a check, a cell) rather than warns: MUST always, SHOULD under --strict. */
export function failsAt(weight: Level, strict: boolean): boolean {
  return weight === 'MUST' || (strict && weight === 'SHOULD')
}

/** A check's status from the weights of its failures: passed with none, failed when one fails, else warned. */
export function checkStatusOf(weights: readonly Level[], strict: boolean): 'passed' | 'failed' | 'warned' {
  if (weights.length === 0) return 'passed'
  return weights.some((w) => failsAt(w, strict)) ? 'failed' : 'warned'
}

export interface VerdictInput {
  /** Checks that failed (status `failed`). */
  failedChecks: number
  /** Selected MUST cells with no executed check, or some of whose checks did not run. */
  unverifiedMustCells: number
  /** Problems of the suite itself (a worker that died, checks planned but never reported). */
  suiteErrors: readonly string[]
  /** Why the run was stopped before it ended, if it was. */
  interrupted?: string
}

export function verdictOf(v: VerdictInput): Verdict {
  if (v.suiteErrors.length) return 'suite error'
  if (v.interrupted) return 'interrupted'
  if (v.failedChecks > 0) return 'not conformant'
  if (v.unverifiedMustCells > 0) return 'incomplete'
  return 'conformant'
}

export const VERDICT_TEXT: Record<Verdict, string> = {
  conformant: 'CONFORMANT (no MUST failed, every selected MUST cell verified)',
  'not conformant': 'NOT CONFORMANT',
  incomplete: 'INCOMPLETE (no MUST failed, but not every selected MUST cell was verified)',
  'suite error': 'NO VERDICT: the suite itself failed',
  interrupted: 'NO VERDICT: the run was interrupted',
}

export interface ExitInput {
  verdict: Verdict
  /** Fixture users whose restore was not verified: a run that may have left a user changed never exits 0. */
  openJournal?: number
  /** Every executed check failed to reach the target (a pipeline problem, not a verdict). */
  targetUnreachable?: boolean
}

export function exitCodeOf(e: ExitInput): number {
  if (e.verdict === 'suite error') return EXIT.suiteError
  if (e.targetUnreachable) return EXIT.targetUnusable
  if (e.openJournal) return EXIT.notConformant
  switch (e.verdict) {
    case 'conformant':
      return EXIT.conformant
    case 'not conformant':
      return EXIT.notConformant
    case 'incomplete':
      return EXIT.incomplete
    // `conform run` itself exits 130/143; a report of an interrupted run read later (merge) verified only part.
    case 'interrupted':
      return EXIT.incomplete
  }
}

/** Every executed check failed for want of the target (transport), none on behaviour: exit 3, not a verdict. */
export function targetUnreachable(checks: ReadonlyArray<{ status: string; category: string | null }>): boolean {
  const ran = checks.filter((c) => c.status !== 'skipped')
  return ran.length > 0 && ran.every((c) => c.category === 'transport')
}

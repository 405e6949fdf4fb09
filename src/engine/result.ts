import type { BindingName } from '../bindings/types.ts'
import type { Category } from '../errors.ts'
import type { Level } from '../spec/model.ts'

export type CheckStatus = 'passed' | 'failed' | 'warned' | 'skipped'

/** What went wrong in a check, and which documented behaviours it speaks against. */
export interface Failure {
  category: Category
  behaviours: string[]
  message: string
}

/** The phases of a check, in the order they happen; each becomes an Allure step. */
export const STEP_NAMES = [
  'provision',
  'authenticate',
  'snapshot',
  'establish',
  'expire',
  'precondition',
  'call',
  'validate',
  'read back',
  'compare',
  'restore',
] as const
export type StepName = (typeof STEP_NAMES)[number]

/** One phase of a check as it happened: which exchanges it made (indices into `exchanges`) and how it ended. */
export interface CheckStep {
  name: StepName
  /** e.g. `UpdateUserEmail over soap11`, `user target`. */
  detail?: string
  status: 'passed' | 'failed' | 'broken'
  startedAt: string
  durationMs: number
  exchanges: number[]
  message?: string
}

/**
 * What a request of a check was for, so that a run's requests can be counted by purpose (bench, HAR `_purpose`):
 * logging the caller in, the snapshot before the check, writing and reading a `given.users.X.set`, the call under
 * test, reading the users back after it, the restore's reads and writes, and the extra reads that check a reused
 * session still works before a refusal is trusted.
 */
export type ExchangePurpose =
  | 'login'
  | 'snapshot'
  | 'establish write'
  | 'establish read'
  | 'call'
  | 'read back'
  | 'session check'
  | 'restore read'
  | 'restore write'

export interface RecordedExchange {
  operation: string
  purpose?: ExchangePurpose
  startedAt: string
  durationMs: number
  request: { method: string; url: string; headers: Record<string, string>; body?: string }
  response?: { status: number; headers: Record<string, string>; body: string }
  error?: string
  /** 429/503 answers with Retry-After waited out before this exchange's answer (or before it gave up). */
  retries?: Array<{ status: number; retryAfter: string; waitMs: number }>
}

/** One check's verdict: the row of conformance.json (plus exchanges for the reporters). Redacted. */
export interface CheckResult {
  id: string
  spec: string
  line: number
  title: string
  api: string
  operation: string
  binding: BindingName
  /** A cross-API check (EO-12) also goes through this API and binding. */
  counterpart?: { api: string; binding: BindingName }
  covers: string[]
  level: Level
  status: CheckStatus
  category: Category | null
  message: string | null
  failures: Failure[]
  notes?: string
  durationMs: number
  requests: number
  /** Requests sent again after a 429/503 with Retry-After: never hidden, always counted. */
  retries?: number
  exchanges: RecordedExchange[]
  /** Requests to the embedded reference's control endpoint (provisioning users): in the HAR only, not the target's. */
  control?: RecordedExchange[]
  steps: CheckStep[]
  /** With `--repeat N` (N > 1): how the N runs of this check went. */
  repeat?: RepeatSummary
}

export interface RepeatSummary {
  runs: number
  passed: number
  failed: number
  warned: number
  skipped: number
  /** Runs (1-based) that did not pass, in order. */
  notPassed: number[]
}

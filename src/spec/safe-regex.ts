import { compile, runTest, TooManyStates, type Program } from './regex-nfa.ts'
import { parseRegex, RegexUnsupported } from './regex-parse.ts'

/**
 * Spec patterns (`{ pattern: … }`) are checked when specs load and matched in linear time, whatever a target answers:
 * a backtracking RegExp can spend minutes on one 30-character answer ("^(a+)+$"), past every deadline and signal.
 * Node 24 has a linear engine only behind a V8 flag (the `l` flag is refused without it), so the suite runs its own.
 */

/** Longer patterns are refused by the spec schema too. */
export const MAX_PATTERN_LENGTH = 2000
/** Bounds the work per matched character; patterns written by hand stay far below (a date-time: ~40 states). */
export const MAX_PATTERN_STATES = 2000
/**
 * The work of one match is at most text length × states: a text longer than this budget allows (1,000,000 characters
 * for patterns of up to 20 states, 10,000 for the largest) does not match. About half a second at worst.
 */
export const MATCH_BUDGET = 20_000_000
export const MAX_MATCHED_TEXT = 1_000_000

/** The longest text `pattern` is matched against (0 for a pattern that cannot be used). */
export function matchableLength(pattern: string): number {
  const program = programOf(pattern)
  return program ? Math.min(MAX_MATCHED_TEXT, Math.floor(MATCH_BUDGET / program.states.length)) : 0
}

export interface PatternProblem {
  code: 'BAD_PATTERN' | 'UNSUPPORTED_PATTERN'
  message: string
}

/** Why a pattern cannot be used, or undefined when it can. */
export function patternProblem(pattern: string): PatternProblem | undefined {
  const compiled = compilePattern(pattern)
  return 'problem' in compiled ? compiled.problem : undefined
}

function compilePattern(pattern: string): { program: Program } | { problem: PatternProblem } {
  if (pattern.length > MAX_PATTERN_LENGTH)
    return { problem: { code: 'UNSUPPORTED_PATTERN', message: `the pattern is ${pattern.length} characters long, more than ${MAX_PATTERN_LENGTH}` } }
  try {
    new RegExp(pattern)
  } catch (e) {
    return {
      problem: {
        code: 'BAD_PATTERN',
        message: `not a regular expression: ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')}`,
      },
    }
  }
  try {
    return { program: compile(parseRegex(pattern), MAX_PATTERN_STATES) }
  } catch (e) {
    if (e instanceof RegexUnsupported)
      return { problem: { code: 'UNSUPPORTED_PATTERN', message: `${e.message} (at character ${e.offset + 1} of the pattern)` } }
    if (e instanceof TooManyStates)
      return {
        problem: {
          code: 'UNSUPPORTED_PATTERN',
          message: `the pattern is too large once its {n,m} counts are spelled out (more than ${MAX_PATTERN_STATES} steps)`,
        },
      }
    throw e
  }
}

const programs = new Map<string, Program | undefined>()

function programOf(pattern: string): Program | undefined {
  if (programs.has(pattern)) return programs.get(pattern)
  // Patterns with `${…}` values differ from check to check: the cache must not grow with the run.
  if (programs.size >= 1000) programs.clear()
  const compiled = compilePattern(pattern)
  const program = 'program' in compiled ? compiled.program : undefined
  programs.set(pattern, program)
  return program
}

/**
 * RegExp#test without flags, in time linear in the text. A pattern the spec check would refuse (one made at run time
 * from `${…}` values) and a text longer than matchableLength(pattern) do not match.
 */
export function patternTest(pattern: string, text: string): boolean {
  const program = programOf(pattern)
  if (!program || text.length > Math.min(MAX_MATCHED_TEXT, MATCH_BUDGET / program.states.length)) return false
  return runTest(program, text)
}

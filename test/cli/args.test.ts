import { describe, expect, test } from 'vitest'
import { closest, parse } from '../../src/cli/args.ts'
import type { ConformError } from '../../src/errors.ts'
import { RUN_HELP } from '../../src/cli/help.ts'

const OPTIONS = { covers: { type: 'string' }, seed: { type: 'string' }, binding: { type: 'string' }, strict: { type: 'boolean' } } as const

function usageError(args: string[]): ConformError {
  try {
    parse(args, OPTIONS, RUN_HELP)
  } catch (e) {
    return e as ConformError
  }
  throw new Error('parsed')
}

describe('a mistyped flag gets one line: the nearest flag, and where every flag is listed', () => {
  test('did you mean, for typos and truncations', () => {
    expect(usageError(['--cover', 'IE-4']).message).toBe('unknown option --cover; did you mean --covers? (conform run --help lists every option)')
    expect(usageError(['--sede', '4']).message).toContain('did you mean --seed?')
    expect(usageError(['--bindings=soap11']).message).toContain('did you mean --binding?')
  })

  test('no suggestion for a flag nothing resembles; never the whole help', () => {
    const e = usageError(['--frobnicate'])
    expect(e.message).toBe('unknown option --frobnicate (conform run --help lists every option)')
    expect(e.message.split('\n')).toHaveLength(1)
    expect(e.code).toBe('BAD_USAGE')
  })

  test('closest keeps to near names', () => {
    expect(closest('strcit', ['strict', 'seed'])).toBe('strict')
    expect(closest('x', ['strict', 'seed'])).toBeUndefined()
  })
})

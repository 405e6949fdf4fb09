import { parseArgs, type ParseArgsConfig } from 'node:util'
import { ConformError } from '../errors.ts'

/**
 * node:util parseArgs with errors of one line that say what to do: the closest known flag for a mistyped one, and
 * the command whose --help lists them all (the help itself would scroll the error away).
 */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, help: string, allowPositionals = false) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true })
  } catch (e) {
    const first = (e as Error).message.split('\n')[0] ?? ''
    const command = /^(conform(?: [a-z-]+)?) —/.exec(help)?.[1] ?? 'conform'
    const unknown = /Unknown option '(--?[^']+)'/.exec(first)?.[1]
    const near = unknown ? closest(unknown.replace(/^-+/, '').split('=')[0]!, Object.keys(options)) : undefined
    const what = unknown ? `unknown option ${unknown}${near ? `; did you mean --${near}?` : ''}` : first.replace(/\. To specify.*$/, '')
    throw new ConformError('BAD_USAGE', 'spec', `${what} (${command} --help lists every option)`)
  }
}

/** The known name nearest to `name` by edit distance, if it is near enough to be a typo. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: { word: string; d: number } | undefined
  for (const word of known) {
    const d = distance(name.toLowerCase(), word.toLowerCase())
    if (!best || d < best.d) best = { word, d }
  }
  return best && (best.d <= (best.word.length <= 3 ? 1 : 2) || best.word.startsWith(name)) ? best.word : undefined
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = row[j]!
      row[j] = next
    }
  }
  return row[b.length]!
}

export function list(value: string | undefined): string[] | undefined {
  return value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
}

export function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new ConformError('BAD_USAGE', 'spec', `${flag} expects a whole number, got "${value}"`)
  return Number(value)
}

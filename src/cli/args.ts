import { parseArgs, type ParseArgsConfig } from 'node:util'
import { ConformError } from '../errors.ts'

/** node:util parseArgs with errors that say what to do, and comma lists. */
export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, help: string, allowPositionals = false) {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true })
  } catch (e) {
    throw new ConformError('BAD_USAGE', 'spec', `${(e as Error).message.split('\n')[0]}\n\n${help}`)
  }
}

export function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean)
}

export function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new ConformError('BAD_USAGE', 'spec', `${flag} expects a whole number, got "${value}"`)
  return Number(value)
}

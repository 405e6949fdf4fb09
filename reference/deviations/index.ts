/**
 * The deviation catalogue: every embedded API's deviations, from its registry entry (reference/registry.ts), in
 * registry order. A new API's deviations go into its file here and its entry there; names are unique across APIs.
 */
import { ReferenceConfigError } from '../errors.ts'
import { EMBEDDED_APIS } from '../registry.ts'
import type { DeviationInfo } from './types.ts'

const all = (): DeviationInfo[] => EMBEDDED_APIS.flatMap((a) => a.deviations)

export function listDeviations(): Array<{ name: string; api: string; breaks: string[]; description: string }> {
  return all().map(({ name, api, breaks, description }) => ({ name, api, breaks: [...breaks], description }))
}

export function deviationNames(): string[] {
  return all().map((d) => d.name)
}

/**
 * The names chosen for one reference instance, checked: duplicates dropped, in the order named; an unknown name
 * throws UNKNOWN_DEVIATION listing the valid ones. Each API's entry picks its own from them.
 */
export function selectDeviations(names: readonly string[] = []): string[] {
  const valid = deviationNames()
  const unknown = names.filter((name) => !valid.includes(name))
  if (unknown.length > 0) {
    throw new ReferenceConfigError(
      'UNKNOWN_DEVIATION',
      `Unknown deviation${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Valid names: ${valid.join(', ')}.`,
      valid,
    )
  }
  return [...new Set(names)]
}

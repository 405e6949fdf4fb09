/** Which bindings an operation goes over, and which of them a target offers: the rule spec loading, planning, logging
 * in, the matrix and compare share. Pure. */
import type { BindingName } from '../bindings/types.ts'
import type { ApiDescription } from './model.ts'

/** Whether a target offers a binding: the bindings it lists (config `apis.<api>.bindings`), or every one when none. */
export function targetOffers(offered: readonly BindingName[] | undefined, binding: BindingName): boolean {
  return !offered || offered.includes(binding)
}

/**
 * The bindings an operation goes over, in api.yaml's order: those its operation lists, else every binding the API
 * declares (also for no operation, or one the API lacks); only those the target offers when `target` is given.
 */
export function offeredBindings(api: Pick<ApiDescription, 'bindings' | 'operations'>, operation?: string, target?: readonly BindingName[]): BindingName[] {
  const op = operation === undefined ? undefined : api.operations[operation]
  const declared = op?.bindings ?? (Object.keys(api.bindings) as BindingName[])
  return declared.filter((b) => targetOffers(target, b))
}

/**
 * What an infoRouter operation handler sees. The collaborators are plain objects so that a deviation can
 * hand the faithful handler a replaced one (e.g. an access policy that allows everything).
 */
import type { Binding } from '../asmx/types.ts'
import type { OperationHandler } from '../asmx/types.ts'
import type { Clock } from '../clock.ts'
import type { SessionService } from './sessions.ts'
import type { IrUser, UserRepository } from './users.ts'

export interface AccessPolicy {
  /** May `caller` change `target`? Documented rule: themselves, or a system administrator. */
  mayUpdate(caller: IrUser, target: IrUser): boolean
}

export interface IrContext {
  readonly binding: Binding
  readonly users: UserRepository
  readonly sessions: SessionService
  readonly access: AccessPolicy
  readonly clock: Clock
}

export type IrHandler = OperationHandler<IrContext>

export const documentedAccess: AccessPolicy = {
  mayUpdate: (caller, target) => caller.role === 'sysadmin' || caller.id === target.id,
}

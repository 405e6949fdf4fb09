/**
 * What an ECGridOS operation handler sees. The collaborators are plain objects so that a deviation can hand
 * the faithful handler a replaced one (an access policy that allows everything, a repository that does not
 * save, another format).
 */
import type { Binding, OperationHandler } from '../asmx/types.ts'
import type { Clock } from '../clock.ts'
import type { AccessPolicy } from '../ecgrid/authority.ts'
import type { EcSessionService } from '../ecgrid/sessions.ts'
import type { EcUserRepository } from '../ecgrid/users.ts'
import type { UserInfoFormat } from './user-info.ts'

export interface EoContext {
  readonly binding: Binding
  readonly users: EcUserRepository
  readonly sessions: EcSessionService
  readonly access: AccessPolicy
  readonly format: UserInfoFormat
  readonly clock: Clock
}

export type EoHandler = OperationHandler<EoContext>

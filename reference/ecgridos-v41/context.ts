/**
 * What a live-profile (v4.1) operation handler sees. The collaborators are plain objects so that a deviation can
 * hand the faithful handler a replaced one (an access policy that allows everything, an update policy that stores
 * "[Default]" literally, a format that writes another spelling).
 */
import type { Binding, OperationHandler } from '../asmx/types.ts'
import type { Clock } from '../clock.ts'
import type { AccessPolicy } from '../ecgrid/authority.ts'
import type { EcUserDetailsRepository } from '../ecgrid/details.ts'
import type { EcSessionService } from '../ecgrid/sessions.ts'
import type { EcUserRepository } from '../ecgrid/users.ts'
import type { UpdatePolicy } from './update-policy.ts'
import type { UserInfoV41Format } from './user-info.ts'

export interface ElContext {
  readonly binding: Binding
  readonly users: EcUserRepository
  readonly details: EcUserDetailsRepository
  readonly sessions: EcSessionService
  readonly access: AccessPolicy
  readonly policy: UpdatePolicy
  readonly format: UserInfoV41Format
  readonly clock: Clock
}

export type ElHandler = OperationHandler<ElContext>

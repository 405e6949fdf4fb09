/**
 * What a LogicMelon operation handler sees. The collaborators are plain objects so that a deviation can
 * hand the faithful handler a replaced one (credential checks that skip a comparison, update rules that
 * differ, a repository that does not save, another CUser format).
 */
import type { Binding, OperationHandler, ParamValue } from '../asmx/types.ts'
import type { CredentialPolicy } from './credentials.ts'
import type { CUserFormat } from './cuser.ts'
import type { OrganisationRepository } from './organisations.ts'
import type { UpdatePolicy } from './update-policy.ts'
import type { LmUserRepository } from './users.ts'

export interface LmContext {
  readonly binding: Binding
  readonly users: LmUserRepository
  readonly organisations: OrganisationRepository
  readonly credentials: CredentialPolicy
  readonly updates: UpdatePolicy
  readonly format: CUserFormat
}

export type LmHandler = OperationHandler<LmContext, ParamValue>

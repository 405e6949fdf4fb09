/**
 * What an ECGrid REST handler sees. The collaborators are plain objects so that a deviation can hand the
 * faithful handler a replaced one (a key check that lets anyone in, a repository that does not save, …).
 */
import type { AccessPolicy } from '../ecgrid/authority.ts'
import type { EcUser, EcUserRepository } from '../ecgrid/users.ts'
import type { RestHandler } from '../rest/types.ts'
import type { JsonBodyReader } from './body.ts'

export interface ApiKeyCheck {
  /** The caller an `X-API-Key` value belongs to; undefined for a missing or unknown key. */
  callerOf(apiKey: string | undefined): EcUser | undefined
}

export interface ErContext {
  readonly users: EcUserRepository
  readonly keys: ApiKeyCheck
  readonly access: AccessPolicy
  readonly readBody: JsonBodyReader
  readonly emailRule: (email: string) => boolean
}

export type ErHandler = RestHandler<ErContext, EcUser>

/** The embedded ECGrid REST API (`/v2/users`) over the shared ECGrid store (D3). */
import type { ApiModule } from '../api.ts'
import type { Clock } from '../clock.ts'
import { documentedAccess } from '../ecgrid/authority.ts'
import { ecgridControlRoutes } from '../ecgrid/control.ts'
import { isValidEmail } from '../ecgrid/email.ts'
import type { EcgridStore } from '../ecgrid/index.ts'
import type { EcUser } from '../ecgrid/users.ts'
import type { RestWrap } from '../rest/pipeline.ts'
import { createRestService } from '../rest/service.ts'
import type { RestRoute } from '../rest/types.ts'
import { readJsonObject } from './body.ts'
import type { ErContext } from './context.ts'
import { getUser } from './get-user.ts'
import { BODY_TOO_LARGE, INTERNAL_ERROR, METHOD_NOT_ALLOWED, RESOURCE_NOT_FOUND } from './messages.ts'
import { ecgridEnvelope, presentUser } from './present.ts'
import { putUser } from './put-user.ts'

export const ECGRID_REST_ROUTES: readonly RestRoute[] = [
  { name: 'PutUser', method: 'PUT', pattern: '/v2/users' },
  { name: 'GetUser', method: 'GET', pattern: '/v2/users/:id' },
]

export const ECGRID_REST_PATHS = ['/v2/users', '/v2/users/{id}'] as const

export interface EcgridRestDeps {
  readonly store: EcgridStore
  readonly clock: Clock
  readonly wraps: readonly RestWrap<ErContext, EcUser>[]
}

export function createEcgridRestApi({ store, clock, wraps }: EcgridRestDeps): ApiModule {
  const context = (): ErContext => ({
    users: store.users,
    keys: { callerOf: (apiKey) => (apiKey === undefined || apiKey === '' ? undefined : store.users.findByApiKey(apiKey)) },
    access: documentedAccess,
    readBody: readJsonObject,
    emailRule: isValidEmail,
  })
  const service = createRestService<ErContext, EcUser>({
    name: 'ecgrid-rest',
    prefix: '/v2',
    routes: ECGRID_REST_ROUTES,
    handlers: { PutUser: putUser, GetUser: getUser },
    present: presentUser,
    envelope: ecgridEnvelope,
    context,
    errors: { notFound: RESOURCE_NOT_FOUND, methodNotAllowed: METHOD_NOT_ALLOWED, tooLarge: BODY_TOO_LARGE, internal: INTERNAL_ERROR },
    unitOfWork: (fn) => store.unitOfWork(fn),
    wraps,
  })
  return { api: 'ecgrid-rest', mounts: [service], controlRoutes: ecgridControlRoutes('ecgrid-rest', store, clock) }
}

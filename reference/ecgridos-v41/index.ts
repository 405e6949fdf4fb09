/**
 * The embedded live ECGridOS profile (D1b): the vendor's v4.1 WSDL for Login, Logout, UserInfo and UserUpdate, over
 * SOAP 1.1, SOAP 1.2, HTTP GET and HTTP POST, at LIVE_BASE + `/v4.1/prod/ECGridOS.asmx`, over the shared ECGrid
 * store (D3: the same users, sessions and API keys as the seed profile and ECGrid REST).
 */
import type { ApiModule } from '../api.ts'
import type { AsmxWrap } from '../asmx/pipeline.ts'
import { createAsmxService } from '../asmx/service.ts'
import type { Clock } from '../clock.ts'
import { documentedAccess } from '../ecgrid/authority.ts'
import type { EcgridStore } from '../ecgrid/index.ts'
import type { ElContext } from './context.ts'
import { ecgridosV41ControlRoutes, V41_FACE } from './control.ts'
import { SYSTEM_ERROR, elFault } from './faults.ts'
import { ECGRIDOS_V41_HANDLERS } from './operations/index.ts'
import { ECGRIDOS_V41_SERVICE } from './service.ts'
import { documentedPolicy } from './update-policy.ts'
import { documentedFormat } from './user-info.ts'

export { ECGRIDOS_V41_SERVICE, LIVE_BASE } from './service.ts'

export interface EcgridOsV41Deps {
  readonly store: EcgridStore
  readonly clock: Clock
  readonly wraps: readonly AsmxWrap<ElContext>[]
}

export function createEcgridOsV41Api({ store, clock, wraps }: EcgridOsV41Deps): ApiModule {
  const service = createAsmxService<ElContext>({
    spec: ECGRIDOS_V41_SERVICE,
    handlers: ECGRIDOS_V41_HANDLERS,
    context: ({ binding }) => ({
      binding,
      users: store.users,
      details: store.details,
      sessions: store.sessions,
      access: documentedAccess,
      policy: documentedPolicy,
      format: documentedFormat,
      clock,
    }),
    internalError: () => ({ kind: 'fault', fault: elFault(SYSTEM_ERROR, '', 'An unexpected error occurred.').fault }),
    unitOfWork: (fn) => store.unitOfWork(fn),
    wraps,
  })
  return { api: V41_FACE, mounts: [service], controlRoutes: ecgridosV41ControlRoutes(store, clock) }
}

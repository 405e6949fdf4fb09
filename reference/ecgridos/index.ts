/** The embedded ECGridOS (`/v4.1/prod/ECGridOS.asmx`, SOAP only) over the shared ECGrid store. */
import type { ApiModule } from '../api.ts'
import type { AsmxWrap } from '../asmx/pipeline.ts'
import { createAsmxService } from '../asmx/service.ts'
import type { Clock } from '../clock.ts'
import { documentedAccess } from '../ecgrid/authority.ts'
import { ecgridControlRoutes } from '../ecgrid/control.ts'
import type { EcgridStore } from '../ecgrid/index.ts'
import type { EoContext } from './context.ts'
import { UNEXPECTED_ERROR, ecgridosFault } from './faults.ts'
import { ECGRIDOS_HANDLERS, ECGRIDOS_SERVICE } from './operations/index.ts'
import { documentedFormat } from './user-info.ts'

export interface EcgridOsDeps {
  readonly store: EcgridStore
  readonly clock: Clock
  readonly wraps: readonly AsmxWrap<EoContext>[]
}

export function createEcgridOsApi({ store, clock, wraps }: EcgridOsDeps): ApiModule {
  const service = createAsmxService<EoContext>({
    spec: ECGRIDOS_SERVICE,
    handlers: ECGRIDOS_HANDLERS,
    context: ({ binding }) => ({
      binding,
      users: store.users,
      sessions: store.sessions,
      access: documentedAccess,
      format: documentedFormat,
      clock,
    }),
    internalError: () => ({ kind: 'fault', fault: ecgridosFault('SystemError', UNEXPECTED_ERROR).fault }),
    unitOfWork: (fn) => store.unitOfWork(fn),
    wraps,
  })
  return { api: 'ecgridos', mounts: [service], controlRoutes: ecgridControlRoutes('ecgridos', store, clock) }
}

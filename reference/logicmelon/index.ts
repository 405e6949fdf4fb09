/** The embedded LogicMelon Administration service (`/json/Administration.asmx`, SOAP 1.1 and 1.2 only) over its own store. */
import type { DatabaseSync } from 'node:sqlite'
import type { ApiModule } from '../api.ts'
import type { AsmxWrap } from '../asmx/pipeline.ts'
import { createAsmxService } from '../asmx/service.ts'
import type { ParamValue } from '../asmx/types.ts'
import type { LmContext } from './context.ts'
import { logicMelonControlRoutes } from './control.ts'
import { documentedCredentials } from './credentials.ts'
import { documentedFormat } from './cuser.ts'
import { UNEXPECTED_ERROR, lmFault } from './faults.ts'
import { LOGICMELON_HANDLERS, LOGICMELON_SERVICE } from './operations/index.ts'
import { createLogicMelonStore } from './store.ts'
import { documentedUpdates } from './update-policy.ts'

export type LmWrap = AsmxWrap<LmContext, ParamValue>

export interface LogicMelonDeps {
  readonly db: DatabaseSync
  readonly wraps: readonly LmWrap[]
}

export function createLogicMelonApi({ db, wraps }: LogicMelonDeps): ApiModule {
  const store = createLogicMelonStore(db)
  const service = createAsmxService<LmContext, ParamValue>({
    spec: LOGICMELON_SERVICE,
    handlers: LOGICMELON_HANDLERS,
    context: ({ binding }) => ({
      binding,
      users: store.users,
      organisations: store.organisations,
      credentials: documentedCredentials,
      updates: documentedUpdates,
      format: documentedFormat,
    }),
    internalError: () => ({ kind: 'fault', fault: lmFault(UNEXPECTED_ERROR).fault }),
    unitOfWork: (fn) => store.unitOfWork(fn),
    wraps,
  })
  return { api: 'logicmelon', mounts: [service], controlRoutes: logicMelonControlRoutes(store) }
}

/** The embedded infoRouter (`/srv.asmx`): store, sessions, handlers and deviations composed into a mount. */
import type { DatabaseSync } from 'node:sqlite'
import type { ApiModule } from '../api.ts'
import type { AsmxWrap } from '../asmx/pipeline.ts'
import { createAsmxService } from '../asmx/service.ts'
import type { Clock } from '../clock.ts'
import { inTransaction } from '../db.ts'
import { documentedAccess, type IrContext } from './context.ts'
import { infoRouterControlRoutes } from './control.ts'
import { SYSTEM_ERROR } from './messages.ts'
import { INFOROUTER_HANDLERS, INFOROUTER_SERVICE } from './operations/index.ts'
import { responseFail, rootFail } from './responses.ts'
import { TICKETS_DDL, createSessionService } from './sessions.ts'
import { USERS_DDL, createUserRepository } from './users.ts'

export interface InfoRouterDeps {
  readonly db: DatabaseSync
  readonly clock: Clock
  readonly wraps: readonly AsmxWrap<IrContext>[]
}

const ROOT_ANSWERS = new Set(['AuthenticateUser', 'LogOut'])

export function createInfoRouterApi({ db, clock, wraps }: InfoRouterDeps): ApiModule {
  db.exec(USERS_DDL)
  db.exec(TICKETS_DDL)
  const users = createUserRepository(db)
  const sessions = createSessionService(db, clock)

  const service = createAsmxService<IrContext>({
    spec: INFOROUTER_SERVICE,
    handlers: INFOROUTER_HANDLERS,
    context: ({ binding }) => ({ binding, users, sessions, access: documentedAccess, clock }),
    internalError: (operation) => ({
      kind: 'result',
      element: ROOT_ANSWERS.has(operation) ? rootFail(SYSTEM_ERROR) : responseFail(SYSTEM_ERROR),
    }),
    unitOfWork: (fn) => inTransaction(db, fn),
    wraps,
  })

  return {
    api: 'inforouter',
    mounts: [service],
    controlRoutes: infoRouterControlRoutes(users, clock, sessions),
  }
}

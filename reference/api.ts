/** What each embedded API contributes to the reference server. */
import type { ControlRoute } from './control/routes.ts'
import type { Mount } from './http/types.ts'

export interface ApiModule {
  /** The catalogue key (`inforouter`), also used by deviations' `api`. */
  readonly api: string
  readonly mounts: readonly Mount[]
  readonly controlRoutes: readonly ControlRoute[]
}

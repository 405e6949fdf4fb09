/**
 * Provisioning for the live profile: the shared ECGrid routes (reference/ecgrid/control.ts) mounted as
 * `/__reference/ecgridos-v41/users`, whose POST also takes the fields only this profile has:
 *   POST /__reference/ecgridos-v41/users {…the shared fields…, company?, phone?, cellPhone?, cellCarrier?}
 *        cellCarrier: a CellCarrier but NoChange (default Undefined); the others default to "".
 */
import type { Clock } from '../clock.ts'
import { readStringFields } from '../control/string-fields.ts'
import { badRequest, type ControlRoute } from '../control/routes.ts'
import { OPTIONAL, REQUIRED, ecgridControlRoutes } from '../ecgrid/control.ts'
import { CELL_CARRIERS, isCellCarrier } from '../ecgrid/enums.ts'
import type { EcgridStore } from '../ecgrid/index.ts'

export const V41_FACE = 'ecgridos-v41'
const DETAILS = ['company', 'phone', 'cellPhone', 'cellCarrier'] as const
const CARRIERS = CELL_CARRIERS.filter((c) => c !== 'NoChange')

export function ecgridosV41ControlRoutes(store: EcgridStore, clock: Clock): ControlRoute[] {
  const shared = ecgridControlRoutes(V41_FACE, store, clock)
  const provision = `/__reference/${V41_FACE}/users`
  return shared.map((route) => {
    if (route.method !== 'POST' || route.pattern !== provision) return route
    return {
      ...route,
      handle: (request) => {
        const fields = readStringFields(request.body, REQUIRED, [...OPTIONAL, ...DETAILS])
        if (!fields.ok) return badRequest(fields.message)
        const carrier = fields.text('cellCarrier', 'Undefined')
        if (!isCellCarrier(carrier) || carrier === 'NoChange') return badRequest(`cellCarrier must be one of ${CARRIERS.join(', ')}`)
        const body = request.body as Record<string, unknown>
        const rest = Object.fromEntries(Object.entries(body).filter(([key]) => !(DETAILS as readonly string[]).includes(key)))
        const answer = route.handle({ ...request, body: rest })
        if (answer.status !== 201) return answer
        const user = store.users.findByLogin(fields.text('login'))
        if (user !== undefined) {
          store.details.set(user.id, {
            company: fields.text('company'),
            phone: fields.text('phone'),
            cellPhone: fields.text('cellPhone'),
            cellCarrier: carrier,
          })
        }
        return answer
      },
    }
  })
}

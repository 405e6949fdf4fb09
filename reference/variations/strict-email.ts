/** A stricter e-mail rule on both ECGrid faces (ECGridOS UserUpdate and ECGrid REST PUT). */
import { INVALID_EMAIL, ecgridosFault } from '../ecgridos/faults.ts'
import { isStrictEmail } from './email.ts'
import { onPut, withErContext } from './ecgrid-rest.ts'
import { onEo, withEoContext } from './ecgridos.ts'
import type { Variation } from './types.ts'

export const STRICT_EMAIL: Variation = {
  name: 'strict-email',
  api: '*',
  description:
    'ECGridOS UserUpdate and ECGrid REST PUT accept only addresses with a dot-atom local part, a host of two or more labels ending in letters, and RFC 5321 lengths (so a@b.c, a..b@c.com or "x y"@z.com are refused).',
  source: 'DESIGN D2 and D4: an address that is not valid is refused; which addresses are valid the pages do not say (api-facts §2: "Valid email format")',
  wraps: {
    ecgridos: [
      onEo(
        ['UserUpdate'],
        withEoContext((ctx) => ({
          users: {
            ...ctx.users,
            update: (id, change) => {
              if (change.email !== undefined && !isStrictEmail(change.email)) throw ecgridosFault('InvalidParameter', INVALID_EMAIL)
              return ctx.users.update(id, change)
            },
          },
        })),
      ),
    ],
    'ecgrid-rest': [onPut(withErContext((ctx) => ({ emailRule: (email) => ctx.emailRule(email) && isStrictEmail(email) })))],
  },
}

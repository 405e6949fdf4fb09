import { PLACEMENT_KEY } from './model.ts'
import type { ConformError } from '../errors.ts'
import type { ApiDescription, Config } from './model.ts'

/**
 * What the config says about an API must fit the API: the API exists, its bindings and fixture roles are the API's,
 * fixture accounts have the user's key and only fields users have, `updateable` names fields of the user.
 */
export function checkConfigAgainstApis(config: Config, apis: ReadonlyMap<string, ApiDescription>): ConformError[] {
  const errors: ConformError[] = []
  const source = config.source
  if (!source) return errors
  for (const [name, target] of Object.entries(config.targets)) {
    for (const [apiName, t] of Object.entries(target.apis)) {
      const at = ['targets', name, 'apis', apiName]
      const api = apis.get(apiName)
      if (!api) {
        errors.push(source.error('UNKNOWN_API', `unknown api "${apiName}" (expected one of: ${[...apis.keys()].join(', ')})`, at, { key: true }))
        continue
      }
      ;(t.bindings ?? []).forEach((b, i) => {
        if (!api.bindings[b])
          errors.push(
            source.error('UNKNOWN_BINDING', `${apiName} has no binding ${b} (it has: ${Object.keys(api.bindings).join(', ')})`, [...at, 'bindings', i]),
          )
      })
      ;(t.updateable ?? []).forEach((field, i) => {
        if (!api.user.fields[field]) {
          errors.push(
            source.error(
              'UNKNOWN_FIELD',
              `updateable: ${apiName} users have no field "${field}" (expected one of: ${Object.keys(api.user.fields).join(', ')})`,
              [...at, 'updateable', i],
            ),
          )
        }
      })
      // `placement` is the account's place relative to the home group (src/engine/placement.ts), not a user value.
      const known = new Set([
        api.user.key,
        ...api.user.secrets,
        ...api.user.attributes,
        ...Object.keys(api.user.fields),
        ...Object.keys(api.user.provision),
        PLACEMENT_KEY,
      ])
      for (const [role, accounts] of Object.entries(t.fixtures)) {
        if (!api.roles.includes(role)) {
          errors.push(
            source.error('UNKNOWN_ROLE', `fixtures: ${apiName} has no role "${role}" (expected one of: ${api.roles.join(', ')})`, [...at, 'fixtures', role], {
              key: true,
            }),
          )
        }
        accounts.forEach((account, i) => {
          if (!Object.hasOwn(account, api.user.key)) {
            errors.push(source.error('MISSING_KEY', `fixtures: a ${role} account needs "${api.user.key}"`, [...at, 'fixtures', role, i]))
          }
          for (const key of Object.keys(account)) {
            if (!known.has(key))
              errors.push(
                source.error(
                  'UNKNOWN_FIELD',
                  `fixtures: ${apiName} users have no field "${key}" (expected some of: ${[...known].join(', ')})`,
                  [...at, 'fixtures', role, i, key],
                  { key: true },
                ),
              )
          }
        })
      }
    }
  }
  return errors
}

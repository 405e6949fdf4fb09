import type { BindingName } from '../bindings/types.ts'
import { SECRET_KEY } from '../config.ts'
import { planChecks, planningTarget, type Check } from '../engine/plan.ts'
import { placementAsked } from '../engine/placement.ts'
import { unrestorable } from '../engine/restorable.ts'
import { fieldsReferenced, Template } from '../expr.ts'
import { apiNeeds, type ApiNeeds } from '../init/skeleton.ts'
import type { Project } from '../project.ts'
import type { ApiDescription, Call, Spec } from '../spec/model.ts'

/**
 * What a target must give an API's checks, spec by spec, as the reference pages (docs/apis/<api>.md) show it. The
 * account counts are `apiNeeds` (src/init/skeleton.ts), the derivation `conform init` and `serve --write-config` use;
 * what is added here is which spec needs which of them, so that nothing is counted twice.
 */

/** The fixture accounts of one role (at one placement, or the home group) a check holds at once. */
export interface Hold {
  role: string
  placement?: string
  count: number
}

export interface SpecNeeds {
  spec: Spec
  /** The bindings its checks run on (a target offering every binding of the API). */
  bindings: BindingName[]
  holds: Hold[]
  /** It calls a writing operation: not run unless the target sets allowWrites. */
  writes: boolean
  /** What it could change that a restore cannot put back: non-empty, it runs only on accounts marked disposable. */
  unrestorable: string[]
  /** Its caller's session is expired on demand: only a target with referenceControl (a served reference) can. */
  expiredSession: boolean
  /** Users whose starting values (`with:` other than a placement) only the reference can provision. */
  provisionedOnly: string[]
  /** The other API its update also goes through (`equivalent:`). */
  equivalent?: string
}

/** One fixture account field: the values each account of the API lists in the config. */
export interface AccountField {
  name: string
  kind: 'key' | 'secret' | 'attribute'
  /** The config refuses a literal value for it (its name reads as a credential): `${env:NAME}` only. */
  envOnly: boolean
  /** Where the API's own calls use it (`${user.F}` in auth, readBack, restore), e.g. `log in: Login.UserName`. */
  usedBy: string[]
  /** The read-back path of a field the read-back also shows. */
  readBack?: string
  /** How many specs refer to it through a user alias (`${jane.F}`). */
  specs: number
}

export interface ApiReferenceFacts {
  api: ApiDescription
  /** Roles, counts, fields, bindings, disposable roles: `conform init`'s derivation. */
  needs: ApiNeeds
  specs: SpecNeeds[]
  fields: AccountField[]
  /** Specs of other APIs whose update also goes through this one (`equivalent:`). */
  counterparts: Spec[]
}

const sortedUnique = <T extends string>(xs: Iterable<T>): T[] => [...new Set(xs)].sort()

/** Where a call's params use `${user.F}`: `F` → `Operation.Param` for each. */
function callUses(call: Call | undefined, uses: Map<string, string[]>, what: string): void {
  if (!call) return
  for (const [param, value] of Object.entries(call.params)) {
    const found = new Set<string>()
    fieldsReferenced(value, new Set(['user']), found)
    for (const f of found) uses.set(f, [...(uses.get(f) ?? []), `${what}: ${call.operation}.${param}`])
  }
}

/** How a user of the API authenticates: `${user.F}` in its login call or its credential. */
function authUses(api: ApiDescription, uses: Map<string, string[]>, through = ''): void {
  callUses(api.auth.login, uses, `${through}log in`)
  const credential = api.auth.credential
  const add = (value: Template, what: string) => {
    const found = new Set<string>()
    fieldsReferenced(value, new Set(['user']), found)
    for (const f of found) uses.set(f, [...(uses.get(f) ?? []), what])
  }
  if (credential instanceof Template) add(credential, `${through}the token of every call`)
  else if (credential) for (const [param, value] of Object.entries(credential)) add(value, `${through}every call: ${param}`)
}

function accountFields(api: ApiDescription, needs: ApiNeeds, specs: readonly Spec[], apis: Project['apis']): AccountField[] {
  const uses = new Map<string, string[]>()
  authUses(api, uses)
  callUses(api.readBack.call, uses, 'read back')
  callUses(api.restore.call, uses, 'restore')
  // The same user, through the other API of an `equivalent:` spec, authenticates there as that API says.
  for (const other of sortedUnique(specs.flatMap((s) => (s.equivalent ? [s.equivalent.api] : [])))) {
    const o = apis.get(other)
    if (o) authUses(o, uses, `${other} (equivalent:) `)
  }
  return needs.fields.map((name) => {
    const specCount = specs.filter((s) => {
      const found = new Set<string>()
      fieldsReferenced([s.users, s.caller, s.vars, s.before, s.when, s.then, s.equivalent], new Set(Object.keys(s.users)), found)
      return found.has(name)
    }).length
    return {
      name,
      kind: name === api.user.key ? 'key' : api.user.secrets.includes(name) ? 'secret' : 'attribute',
      envOnly: SECRET_KEY.test(name),
      usedBy: uses.get(name) ?? [],
      ...(api.user.fields[name] ? { readBack: api.user.fields[name] } : {}),
      specs: specCount,
    }
  })
}

function specNeeds(spec: Spec, cases: readonly Check[], updateable: readonly string[]): SpecNeeds {
  const holds = new Map<string, Hold>()
  const provisionedOnly: string[] = []
  for (const [alias, u] of Object.entries(spec.users)) {
    const p = placementAsked(u.with)
    if (p === false) {
      provisionedOnly.push(alias)
      continue
    }
    const key = `${u.role}@${p ?? ''}`
    const h = holds.get(key) ?? { role: u.role, ...(p ? { placement: p } : {}), count: 0 }
    h.count++
    holds.set(key, h)
  }
  const first = cases[0]!
  return {
    spec,
    bindings: cases.map((c) => c.binding),
    holds: [...holds.values()].sort((a, b) => a.role.localeCompare(b.role) || (a.placement ?? '').localeCompare(b.placement ?? '')),
    writes: first.writes,
    unrestorable: sortedUnique(cases.flatMap((c) => unrestorable(c, updateable))),
    expiredSession: Boolean(spec.caller && 'user' in spec.caller && spec.caller.session === 'expired'),
    provisionedOnly,
    ...(spec.equivalent ? { equivalent: spec.equivalent.api } : {}),
  }
}

/** Everything the reference page of one API shows, derived from the project (nothing per API is written here). */
export function apiReferenceFacts(project: Project, name: string): ApiReferenceFacts {
  const needs = apiNeeds(project, name)
  const api = needs.api
  const cases = planChecks(project, planningTarget([name])).filter((c) => c.api.api === name)
  // `apiNeeds` judges which checks could change what a restore cannot put back against the documented list.
  const updateable = api.user.updateable ?? Object.keys(api.user.fields)
  const bySpec = new Map<string, Check[]>()
  for (const c of cases) bySpec.set(c.spec.id, [...(bySpec.get(c.spec.id) ?? []), c])
  const specs = [...bySpec.values()].map((cs) => specNeeds(cs[0]!.spec, cs, updateable)).sort((a, b) => a.spec.id.localeCompare(b.spec.id))
  const counterparts = project.specs.filter((s) => s.api !== name && s.equivalent?.api === name).sort((a, b) => a.id.localeCompare(b.id))
  return {
    api,
    needs,
    specs,
    fields: accountFields(
      api,
      needs,
      specs.map((s) => s.spec),
      project.apis,
    ),
    counterparts,
  }
}

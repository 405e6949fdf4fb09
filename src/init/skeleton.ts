import type { BindingName } from '../bindings/types.ts'
import { planChecks, planningTarget, type Check } from '../engine/plan.ts'
import { placementAsked } from '../engine/placement.ts'
import { unrestorable } from '../engine/restorable.ts'
import type { Project } from '../project.ts'
import type { ApiDescription } from '../spec/model.ts'

/** One group of fixture accounts a target should list for an API: a role, at a placement, how many, and why. */
export interface AccountNeed {
  role: string
  placement?: string
  count: number
  why: string
}

export interface ApiNeeds {
  api: ApiDescription
  bindings: BindingName[]
  /** The account values the API's checks use: its user key, secrets and attributes (ids, keys). */
  fields: string[]
  accounts: AccountNeed[]
  /** Roles whose accounts checks may change beyond what a restore puts back, if marked `disposable: true`. */
  disposableRoles: string[]
  /** How many checks need disposable accounts. */
  riskyChecks: number
}

/** The most users of one role (at one placement) a single check of the API holds at once. */
function mostAtOnce(cases: readonly Check[], role: string, placement: string | undefined): number {
  let most = 0
  for (const c of cases) {
    const n = Object.values(c.spec.users).filter((u) => u.role === role && (placementAsked(u.with) || undefined) === placement).length
    most = Math.max(most, n)
  }
  return most
}

/** What a configured target needs for an API, derived from its description and specs (nothing per API is written here). */
export function apiNeeds(project: Project, name: string): ApiNeeds {
  const api = project.apis.get(name)!
  const cases = planChecks(project, planningTarget([name])).filter((c) => c.api.api === name)
  const bindings = [...new Set(cases.map((c) => c.binding))] as BindingName[]
  const groups = new Map<string, { role: string; placement?: string }>()
  for (const c of cases) {
    for (const u of Object.values(c.spec.users)) {
      const p = placementAsked(u.with)
      if (p === false) continue
      groups.set(`${u.role}@${p ?? ''}`, { role: u.role, ...(p ? { placement: p } : {}) })
    }
  }
  groups.set(`${api.readBack.as}@`, { role: api.readBack.as })
  const accounts: AccountNeed[] = [...groups.values()]
    .map(({ role, placement }) => {
      const most = mostAtOnce(cases, role, placement)
      const reader = role === api.readBack.as && !placement
      const count = most + (reader ? 1 : 0)
      const why = [most ? `a check holds up to ${most} at once` : '', reader ? 'the first reads users back (and restores them)' : ''].filter(Boolean).join('; ')
      return { role, ...(placement ? { placement } : {}), count: Math.max(1, count), why }
    })
    .sort((a, b) => a.role.localeCompare(b.role) || (a.placement ?? '').localeCompare(b.placement ?? ''))
  const updateable = api.user.updateable ?? Object.keys(api.user.fields)
  const risky = cases.filter((c) => unrestorable(c, updateable).length > 0)
  return {
    api,
    bindings,
    fields: [...new Set([api.user.key, ...api.user.secrets, ...api.user.attributes])],
    accounts,
    disposableRoles: [...new Set(risky.flatMap((c) => Object.values(c.spec.users).map((u) => u.role)))].sort(),
    riskyChecks: risky.length,
  }
}

/** An environment variable's name from words: `ecgrid-rest`, `MailboxUser`, `1` → `ECGRID_REST_MAILBOX_USER_1`. */
export const envName = (...parts: string[]) =>
  parts
    .join('_')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toUpperCase()

export interface Skeleton {
  config: string
  /** NAME= lines, one per variable the config names, each with a comment saying what it holds. */
  envExample: string
  variables: string[]
}

/** A commented config for a target offering these APIs, and the variables it names. */
export function skeleton(project: Project, target: string, apis: readonly string[], schemaPath: string): Skeleton {
  const variables: Array<{ name: string; what: string }> = []
  const ref = (name: string, what: string) => {
    variables.push({ name, what })
    return `"\${env:${name}}"`
  }
  const lines = [
    `# yaml-language-server: $schema=${schemaPath}`,
    `# Written by conform init: target "${target}", its APIs, the fixture accounts each needs and the variables they come from.`,
    '# Every value is an ${env:NAME} reference: put the values in the environment (CI secrets); .env.example lists them.',
    `# Then: conform check --config THIS_FILE --target ${target} --online   (logs every account in; docs/staging.md)`,
    `defaultTarget: ${target}`,
    'targets:',
    `  ${target}:`,
    '    # false for the first run: it proves URLs and credentials, runs what only reads, and exits 4 (write cells not',
    '    # verified). Then true, on accounts that may be changed and are restored after each check.',
    '    allowWrites: false',
    '    limits: { concurrency: 4, timeoutMs: 15000, maxBodyBytes: 5000000, requestsPerSecond: 5 }',
    '    apis:',
  ]
  for (const name of apis) {
    const needs = apiNeeds(project, name)
    const upper = envName(name)
    lines.push(`      ${name}:   # ${needs.api.title}`)
    lines.push(`        baseUrl: ${ref(`${upper}_BASE_URL`, `${needs.api.title}: base URL (https://host, no user:password@)`)}`)
    lines.push(`        bindings: [${needs.bindings.join(', ')}]   # drop those the target does not offer`)
    lines.push('        fixtures:')
    for (const role of [...new Set(needs.accounts.map((a) => a.role))]) {
      lines.push(`          ${role}:`)
      for (const a of needs.accounts.filter((x) => x.role === role)) {
        lines.push(
          `            # ${a.count}${a.placement ? ` placed ${a.placement} (relative to the role's other accounts; docs/staging.md)` : ''}: ${a.why}. More let checks run in parallel.`,
        )
        for (let i = 1; i <= a.count; i++) {
          const prefix = envName(name, a.role, ...(a.placement ? [a.placement] : []), String(i))
          const values = needs.fields.map(
            (f) =>
              `${f}: ${ref(`${prefix}_${envName(f)}`, `${name} ${a.role}${a.placement ? ` (${a.placement})` : ''} account ${i}: ${f}${needs.api.user.secrets.includes(f) ? ' (secret)' : ''}`)}`,
          )
          lines.push(`            - { ${[...values, ...(a.placement ? [`placement: ${a.placement}`] : [])].join(', ')} }`)
        }
      }
    }
    if (needs.riskyChecks) {
      lines.push(`        # ${needs.riskyChecks} check(s) could change what a restore cannot put back (a password, a role): they run only on`)
      lines.push(`        # accounts marked disposable: true (roles ${needs.disposableRoles.join(', ')}); elsewhere they are not verified.`)
    }
  }
  const unique = [...new Map(variables.map((v) => [v.name, v])).values()]
  return {
    config: `${lines.join('\n')}\n`,
    envExample: `${unique.map((v) => `# ${v.what}\n${v.name}=`).join('\n')}\n`,
    variables: unique.map((v) => v.name),
  }
}

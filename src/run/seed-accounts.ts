import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { DEFAULT_TARGET_LIMITS } from '../config.ts'
import { ReferenceUsers } from '../engine/fixtures.ts'
import { apiNeeds, envName } from '../init/skeleton.ts'
import type { Project } from '../project.ts'
import type { Limits } from '../spec/model.ts'
import { PROJECT_ROOT } from '../paths.ts'

/** One seeded fixture account: its API, role, placement (if placed) and values (credentials included). */
export interface SeededAccount {
  api: string
  role: string
  placement?: string
  /** A role whose checks may change what a restore cannot put back: on a throwaway reference, marked disposable. */
  disposable: boolean
  values: Record<string, string>
}

/**
 * Fixture accounts on a running reference, as a staging target would list them: for each API the roles, counts and
 * placements its checks need (the same derivation as `conform init`), made through the control endpoint, one home
 * group per API with the placed accounts relative to it. `atLeast`: each role's accounts (placed ones aside) at least so many.
 */
export async function seedAccounts(
  project: Project,
  apis: readonly string[],
  control: { url: string; key: string },
  seed: number,
  opts: { atLeast?: number } = {},
): Promise<SeededAccount[]> {
  const made: SeededAccount[] = []
  for (const [i, name] of apis.entries()) {
    const needs = apiNeeds(project, name)
    const api = needs.api
    const count = (a: { count: number; placement?: string }) => (a.placement ? a.count : Math.max(a.count, opts.atLeast ?? 0))
    const requests = needs.accounts.flatMap((a) =>
      Array.from({ length: count(a) }, () => ({
        role: a.role,
        placement: a.placement,
        // The reader's starting values where the API asks (LogicMelon's reader sits at the top organisation).
        with: a.placement ? { placement: a.placement } : a.role === api.readBack.as && api.readBack.with ? { ...api.readBack.with } : undefined,
      })),
    )
    // A seed of its own per API: faces of one store (ECGridOS, its live profile, ECGrid REST) must not draw one login twice.
    const users = await new ReferenceUsers(api, { ...control, origin: 'seeded' }, 10_000).acquire(
      requests.map((r) => ({ role: r.role, ...(r.with ? { with: r.with } : {}) })),
      seed + 7919 * (i + 1),
    )
    users.forEach((u, i) => {
      const keep = new Set(needs.fields)
      const values = Object.fromEntries(Object.entries(u.attrs).filter(([k]) => keep.has(k)))
      made.push({
        api: name,
        role: u.role,
        ...(requests[i]!.placement ? { placement: requests[i]!.placement } : {}),
        disposable: needs.disposableRoles.includes(u.role),
        values,
      })
    })
  }
  return made
}

/** A value as a dotenv line holds it for both `. FILE` in a shell and Node's env-file reader: quoted with a quote it lacks. */
function quoted(v: string): string {
  const q = ["'", '"', '`'].find((c) => !v.includes(c))
  if (!q || /[\n\r\\$]/.test(v)) throw new Error(`a seeded value cannot be written to an env file as it is: ${JSON.stringify(v.replace(/./g, '*'))}`)
  return `${q}${v}${q}`
}

/**
 * A config naming the reference as target `target` (`baseUrls`: each API's base URL, written as it is: no secret), its
 * accounts' values as `${env:…}` references, and the env file with the values (mode 600); `limits`, the defaults unless
 * given.
 */
export function writeTargetConfig(
  file: string,
  target: string,
  baseUrls: Readonly<Record<string, string>>,
  accounts: readonly SeededAccount[],
  control?: { url: string; key: string },
  limits: Limits = DEFAULT_TARGET_LIMITS,
): { config: string; envFile: string } {
  const config = resolve(file)
  const envFile = `${config}.env`
  const env: string[] = []
  const counters = new Map<string, number>()
  const byApi = new Map<string, Record<string, Array<Record<string, string>>>>()
  for (const a of accounts) {
    const key = `${a.api}:${a.role}:${a.placement ?? ''}`
    const n = (counters.get(key) ?? 0) + 1
    counters.set(key, n)
    const prefix = envName('LOCAL', a.api, a.role, ...(a.placement ? [a.placement] : []), String(n))
    const entry: Record<string, string> = {}
    for (const [k, v] of Object.entries(a.values)) {
      const name = `${prefix}_${envName(k)}`
      env.push(`${name}=${quoted(v)}`)
      entry[k] = `\${env:${name}}`
    }
    if (a.placement) entry.placement = a.placement
    if (a.disposable) (entry as Record<string, unknown>).disposable = true
    const fixtures = byApi.get(a.api) ?? {}
    ;(fixtures[a.role] ??= []).push(entry)
    byApi.set(a.api, fixtures)
  }
  if (control) env.push(`LOCAL_CONTROL_KEY=${quoted(control.key)}`)
  const schema = relative(dirname(config), resolve(PROJECT_ROOT, 'schemas/config.schema.json'))
  const body = {
    defaultTarget: target,
    targets: {
      [target]: {
        description: 'the reference started by conform serve, with its seeded fixture accounts',
        allowWrites: true,
        limits,
        ...(control ? { referenceControl: { url: control.url, key: '${env:LOCAL_CONTROL_KEY}' } } : {}),
        apis: Object.fromEntries([...byApi].map(([api, fixtures]) => [api, { baseUrl: baseUrls[api]!, fixtures }])),
      },
    },
  }
  mkdirSync(dirname(config), { recursive: true })
  // JSON is YAML; the schema line lets an editor complete and check it.
  writeFileSync(
    config,
    `# yaml-language-server: $schema=${schema}\n# Written by conform serve --write-config; the values are in ${relative(dirname(config), envFile)}.\n${JSON.stringify(body, null, 2)}\n`,
  )
  writeFileSync(envFile, `${env.join('\n')}\n`, { mode: 0o600 })
  chmodSync(envFile, 0o600)
  return { config, envFile }
}

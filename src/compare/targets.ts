import { BUILTIN_REFERENCE } from '../config.ts'
import { ConformError } from '../errors.ts'
import type { Project } from '../project.ts'
import { offeredApis } from '../run/resolve-target.ts'

/** An API one of the two targets does not offer: compared on neither, and listed as such. */
export interface NotComparedApi {
  api: string
  reason: string
}

/** The name under which the embedded reference can always be compared, whatever the config holds. */
export const BUILT_IN_REFERENCE = BUILTIN_REFERENCE.name

/**
 * The project as compare sees it: `reference` names the embedded reference even in a config that does not define it
 * (a config written by `conform serve --write-config` or for staging has only its own target), unless the config
 * gives that name to a target of its own.
 */
export function withBuiltInReference(project: Project): Project {
  if (project.config.targets[BUILT_IN_REFERENCE]) return project
  return { ...project, config: { ...project.config, targets: { ...project.config.targets, [BUILT_IN_REFERENCE]: BUILTIN_REFERENCE } } }
}

/**
 * Pure but for the project it reads: only the APIs both targets offer (and, with --api, were asked for) are compared;
 * each other one is listed with why. Comparing an API one side does not configure would make every one of its checks,
 * and its WSDL, a difference that says nothing about the vendors.
 */
export function apisToCompare(project: Project, baseline: string, candidate: string, asked?: string[]): { compared: string[]; notCompared: NotComparedApi[] } {
  const [b, c] = [offeredApis(project, baseline), offeredApis(project, candidate)]
  for (const a of asked ?? []) {
    if (!project.apis.has(a))
      throw new ConformError('BAD_USAGE', 'spec', `unknown API "${a}" (described: ${[...project.apis.keys()].join(', ')}) (see conform compare --help)`)
  }
  const wanted = (a: string) => !asked || asked.includes(a)
  const compared = b.filter((a) => c.includes(a) && wanted(a))
  const notCompared = [...new Set([...b, ...c, ...(asked ?? [])])]
    .filter((a) => wanted(a) && !compared.includes(a))
    .sort()
    .map((api) => ({
      api,
      reason: b.includes(api)
        ? `only the baseline (${baseline}) configures it`
        : c.includes(api)
          ? `only the candidate (${candidate}) configures it`
          : `neither ${baseline} nor ${candidate} configures it`,
    }))
  if (compared.length === 0) {
    throw new ConformError(
      'BAD_USAGE',
      'spec',
      `${baseline} and ${candidate} share no API to compare (${baseline}: ${b.join(', ') || 'none'}; ${candidate}: ${c.join(', ') || 'none'}${asked ? `; asked: ${asked.join(', ')}` : ''}) (see conform compare --help)`,
    )
  }
  return { compared, notCompared }
}

/** The config file a child run of the built-in reference is given (JSON is YAML): the reference and nothing else. */
export function builtInReferenceConfig(): string {
  return `${JSON.stringify({ defaultTarget: BUILT_IN_REFERENCE, targets: { [BUILT_IN_REFERENCE]: { description: 'the embedded reference, as conform compare runs it', reference: true, allowWrites: true } } }, null, 2)}\n`
}

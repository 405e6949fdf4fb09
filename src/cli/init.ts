import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { ConformError } from '../errors.ts'
import { PROJECT_ROOT } from '../paths.ts'
import { loadProject } from '../project.ts'
import { skeleton } from '../init/skeleton.ts'
import { list, parse } from './args.ts'
import { INIT_HELP } from './help.ts'

/** `conform init`: a commented config for a target, with the right fixture accounts per API, and a .env.example. */
export default async function init(args: string[]): Promise<number> {
  const { values } = parse(args, { api: { type: 'string' }, target: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } }, INIT_HELP)
  if (values.help) {
    process.stdout.write(INIT_HELP)
    return 0
  }
  const project = loadProject()
  const apis = list(values.api) ?? [...project.apis.keys()]
  for (const a of apis)
    if (!project.apis.has(a)) throw new ConformError('BAD_USAGE', 'spec', `unknown api "${a}"; known: ${[...project.apis.keys()].join(', ')}`)
  const target = values.target ?? 'staging'
  if (!/^[a-z][a-z0-9-]*$/.test(target)) throw new ConformError('BAD_USAGE', 'spec', `--target expects a lower-case name (letters, digits, -), got "${target}"`)
  const out = resolve(values.out ?? `conform.${target}.yaml`)
  const envFile = resolve(dirname(out), '.env.example')
  for (const f of [out, envFile]) if (existsSync(f) && !values.force) throw new ConformError('BAD_USAGE', 'spec', `${f} exists; --force writes over it`)
  const schema = relative(dirname(out), resolve(PROJECT_ROOT, 'schemas/config.schema.json'))
  const made = skeleton(project, target, apis, schema)
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, made.config)
  writeFileSync(envFile, made.envExample)
  process.stdout.write(`wrote ${out} (target ${target}: ${apis.join(', ')}) and ${envFile} (${made.variables.length} variables)\n`)
  process.stdout.write(`next: set the variables, then: conform check --config ${relative(process.cwd(), out) || out} --target ${target} --online\n`)
  return 0
}

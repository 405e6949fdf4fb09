import { resolve } from 'node:path'
import { planCases, planningTarget } from '../engine/plan.ts'
import { loadProject } from '../project.ts'
import { parse } from './args.ts'
import { CHECK_HELP } from './help.ts'

export default async function check(args: string[]): Promise<number> {
  const { values } = parse(args, { config: { type: 'string' }, specs: { type: 'string' } }, CHECK_HELP)
  if (values.help) {
    process.stdout.write(CHECK_HELP)
    return 0
  }
  const project = loadProject({ ...(values.config ? { configFile: resolve(values.config) } : {}), ...(values.specs ? { specsDir: resolve(values.specs) } : {}) })
  const planned = planCases(project, planningTarget([...project.apis.keys()]))
  process.stdout.write(
    `ok: ${project.catalogue.size} behaviours, ${project.apis.size} API(s) (${[...project.apis.keys()].join(', ')}), ` +
      `${project.specs.length} specs → ${planned.length} checks; config ${project.config.file} with target(s) ${Object.keys(project.config.targets).join(', ')}\n`,
  )
  return 0
}

import { resolve } from 'node:path'
import { requireEnv } from '../config.ts'
import { ConformError } from '../errors.ts'
import { planChecks, planningTarget } from '../engine/plan.ts'
import { loadProject, type Project } from '../project.ts'
import { preflightAccounts } from '../run/preflight-accounts.ts'
import { startTarget } from '../run/resolve-target.ts'
import { parse } from './args.ts'
import { CHECK_HELP } from './help.ts'
import { preflight } from './preflight.ts'

export default async function check(args: string[]): Promise<number> {
  const { values } = parse(args, { config: { type: 'string' }, specs: { type: 'string' }, target: { type: 'string' }, online: { type: 'boolean' } }, CHECK_HELP)
  if (values.help) {
    process.stdout.write(CHECK_HELP)
    return 0
  }
  const project = loadProject({
    ...(values.config ? { configFile: resolve(values.config) } : {}),
    ...(values.specs ? { specsDir: resolve(values.specs) } : {}),
  })
  const planned = planChecks(project, planningTarget([...project.apis.keys()]))
  process.stdout.write(
    `ok: ${project.catalogue.size} behaviours, ${project.apis.size} API(s) (${[...project.apis.keys()].join(', ')}), ` +
      `${project.specs.length} specs → ${planned.length} checks; config ${project.config.file} with target(s) ${Object.keys(project.config.targets).join(', ')}\n`,
  )
  if (values.online && !values.target) throw new ConformError('BAD_USAGE', 'spec', '--online needs --target NAME (the target whose accounts to log in)')
  if (values.target) await checkTarget(project, values.target, values.online ?? false)
  return 0
}

/**
 * `--target`: every variable the target names is set (else exit 2, each at its place in the config); `--online`: the
 * run's preflight, and what it found: every base URL answers, every account logs in and is read back (else exit 3).
 */
async function checkTarget(project: Project, name: string, online: boolean): Promise<void> {
  const config = project.config.targets[name]
  if (!config) throw new ConformError('BAD_USAGE', 'spec', `unknown target "${name}"; the config has: ${Object.keys(project.config.targets).join(', ')}`)
  if (config.reference) {
    process.stdout.write(`target ${name}: the embedded reference (nothing to log in)\n`)
    return
  }
  requireEnv(project.config, name)
  process.stdout.write(`target ${name}: every variable it names is set\n`)
  if (!online) return
  await preflight(config)
  const started = await startTarget(project, name)
  try {
    const accounts = await preflightAccounts({
      target: started.target,
      apis: project.apis,
      catalogue: project.catalogue,
      cases: planChecks(project, started.target),
    })
    for (const a of accounts) process.stdout.write(`  ok  ${a.api} ${a.role} account ${a.index + 1} (${a.user}): logged in, read back\n`)
    process.stdout.write(`target ${name}: every base URL answers; ${accounts.length} fixture account(s) logged in and read back, their sessions logged out\n`)
  } finally {
    await started.stop()
  }
}

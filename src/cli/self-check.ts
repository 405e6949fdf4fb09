import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { loadProject } from '../project.ts'
import { headline } from '../self-check/evaluate.ts'
import { runSelfCheck } from '../self-check/run.ts'
import { listDeviations, listVariations } from '../../reference/index.ts'
import { integer, list, parse } from './args.ts'
import { checkReferenceNames } from './reference-names.ts'
import { SELF_CHECK_HELP } from './help.ts'

export default async function selfCheck(args: string[]): Promise<number> {
  const { values } = parse(
    args,
    { seed: { type: 'string' }, out: { type: 'string' }, parallel: { type: 'string' }, deviate: { type: 'string' }, vary: { type: 'string' } },
    SELF_CHECK_HELP,
  )
  if (values.help) {
    process.stdout.write(SELF_CHECK_HELP)
    return 0
  }
  const deviate = list(values.deviate)
  const vary = list(values.vary)
  checkReferenceNames({ ...(deviate ? { deviations: deviate } : {}), ...(vary ? { variations: vary } : {}) })
  // Naming some of one kind only runs those: --deviate alone runs no variation, --vary alone no deviation.
  const only = deviate ?? (vary ? [] : undefined)
  const varyOnly = vary ?? (deviate ? [] : undefined)
  const project = loadProject()
  const deviations = only?.length ?? listDeviations().length
  const variations = varyOnly?.length ?? listVariations().length
  process.stdout.write(`self-check: the whole suite against the plain reference, then against each of ${deviations} deviations and ${variations} variations…\n`)
  const report = await runSelfCheck(project, {
    seed: integer(values.seed, '--seed') ?? 42,
    parallel: integer(values.parallel, '--parallel') ?? 4,
    ...(only ? { only } : {}),
    ...(varyOnly ? { vary: varyOnly } : {}),
    onVerdict: (v, done, n) => {
      const ok = v.missed.length === 0 && v.falseAlarms.length === 0
      process.stdout.write(
        `[${String(done).padStart(String(n).length)}/${n}] ${ok ? 'caught' : 'PROBLEM'} ${v.deviation} (${v.declared.join(', ')}): ${v.failingChecks.length} failing check(s)${v.missed.length ? `; MISSED ${v.missed.join(', ')}` : ''}${
          v.falseAlarms.length
            ? `; ${v.falseAlarms.length} FALSE ALARM(S): ${v.falseAlarms
                .slice(0, 3)
                .map((f) => `${f.check} [${f.behaviours.join(',')}]`)
                .join('; ')}`
            : ''
        }\n`,
      )
    },
    onVariation: (v, done, n) => {
      const first = v.alarms[0]
      const more = v.failingChecks.length > 1 ? ` (and ${v.failingChecks.length - 1} more check(s))` : ''
      process.stdout.write(
        `[${String(done).padStart(String(n).length)}/${n}] ${v.alarms.length === 0 ? 'quiet' : 'ALARM'} ${v.variation}${first ? `: ${first.status} ${first.check} [${first.behaviours.join(',')}] ${first.message.split('\n')[0]!.slice(0, 200)}${more}` : ''}\n`,
      )
    },
  })
  const outDir = resolve(values.out ?? 'reports')
  mkdirSync(outDir, { recursive: true })
  writeFileSync(resolve(outDir, 'self-check.json'), `${JSON.stringify(report, null, 2)}\n`)
  process.stdout.write(`\n${headline(report)} (${(report.durationMs / 1000).toFixed(1)} s)\nreport: ${resolve(outDir, 'self-check.json')}\n`)
  const { summary } = report
  const perfect = summary.caught === summary.deviations && summary.falseAlarms === 0 && summary.alarmed === 0 && summary.plainConformant
  return perfect ? 0 : 1
}

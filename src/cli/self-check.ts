import { mkdirSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { loadProject } from '../project.ts'
import { headline } from '../self-check/evaluate.ts'
import { runSelfCheck } from '../self-check/run.ts'
import { listDeviations } from '../../reference/index.ts'
import { ConformError } from '../errors.ts'
import { integer, list, parse } from './args.ts'
import { SELF_CHECK_HELP } from './help.ts'

export default async function selfCheck(args: string[]): Promise<number> {
  const { values } = parse(args, { seed: { type: 'string' }, out: { type: 'string' }, parallel: { type: 'string' }, deviate: { type: 'string' } }, SELF_CHECK_HELP)
  if (values.help) {
    process.stdout.write(SELF_CHECK_HELP)
    return 0
  }
  const only = list(values.deviate)
  const known = new Set(listDeviations().map((d) => d.name))
  for (const d of only ?? []) if (!known.has(d)) throw new ConformError('BAD_USAGE', 'spec', `unknown deviation "${d}" (see conform deviations)`)
  const project = loadProject()
  const total = only?.length ?? known.size
  process.stdout.write(`self-check: the whole suite against the plain reference, then against each of ${total} deviations…\n`)
  const report = await runSelfCheck(project, {
    seed: integer(values.seed, '--seed') ?? 42,
    parallel: integer(values.parallel, '--parallel') ?? 4,
    ...(only ? { only } : {}),
    onVerdict: (v, done, n) => {
      const ok = v.missed.length === 0 && v.falseAlarms.length === 0
      process.stdout.write(`[${String(done).padStart(String(n).length)}/${n}] ${ok ? 'caught' : 'PROBLEM'} ${v.deviation} (${v.declared.join(', ')}): ${v.failingChecks.length} failing check(s)${v.missed.length ? `; MISSED ${v.missed.join(', ')}` : ''}${v.falseAlarms.length ? `; ${v.falseAlarms.length} FALSE ALARM(S): ${v.falseAlarms.slice(0, 3).map((f) => `${f.check} [${f.behaviours.join(',')}]`).join('; ')}` : ''}\n`)
    },
  })
  const outDir = resolve(values.out ?? 'reports')
  mkdirSync(outDir, { recursive: true })
  writeFileSync(resolve(outDir, 'self-check.json'), `${JSON.stringify(report, null, 2)}\n`)
  process.stdout.write(`\n${headline(report)} (${(report.durationMs / 1000).toFixed(1)} s)\nreport: ${resolve(outDir, 'self-check.json')}\n`)
  const perfect = report.summary.caught === report.summary.deviations && report.summary.falseAlarms === 0 && report.summary.plainConformant
  return perfect ? 0 : 1
}

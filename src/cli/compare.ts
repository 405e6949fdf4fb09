import { mkdirSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { BINDING_NAMES, type BindingName } from '../bindings/types.ts'
import { collectWsdls } from '../compare/collect-wsdls.ts'
import { ForwardedSignals, runChild } from '../compare/child-run.ts'
import { markAllureResults } from '../compare/mark-allure.ts'
import { buildMigration } from '../compare/migration.ts'
import { readRun } from '../compare/run-record.ts'
import { requireReachable } from '../compare/reachable.ts'
import { apisToCompare, builtInReferenceConfig, withBuiltInReference } from '../compare/targets.ts'
import { writeCompareAllureConfig } from '../compare/allure-config.ts'
import { ConformError } from '../errors.ts'
import { loadProject } from '../project.ts'
import { renderMigrationHtml } from '../report/migration-html.ts'
import { renderMigrationMarkdown } from '../report/migration-md.ts'
import { EXIT } from '../report/verdict.ts'
import { TOOL } from '../tool.ts'
import { integer, list, parse } from './args.ts'
import { loadEnvFile } from './env-file.ts'
import { checkReferenceNames } from './reference-names.ts'
import { COMPARE_HELP } from './help.ts'

function usage(message: string): ConformError {
  return new ConformError('BAD_USAGE', 'spec', `${message} (see conform compare --help)`)
}

export default async function compare(args: string[]): Promise<number> {
  const { values } = parse(
    args,
    {
      baseline: { type: 'string' },
      candidate: { type: 'string' },
      config: { type: 'string' },
      specs: { type: 'string' },
      api: { type: 'string' },
      binding: { type: 'string' },
      covers: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      strict: { type: 'boolean' },
      deviate: { type: 'string' },
      'env-file': { type: 'string' },
    },
    COMPARE_HELP,
  )
  if (values.help) {
    process.stdout.write(COMPARE_HELP)
    return 0
  }
  if (!values.baseline || !values.candidate) throw usage('--baseline and --candidate are both required')
  if (values['env-file']) loadEnvFile(values['env-file'])
  const configured = loadProject({
    ...(values.config ? { configFile: resolve(values.config) } : {}),
    ...(values.specs ? { specsDir: resolve(values.specs) } : {}),
  })
  const project = withBuiltInReference(configured)
  for (const t of [values.baseline, values.candidate]) {
    if (!project.config.targets[t])
      throw usage(`unknown target "${t}"; the config (${configured.config.file}) has: ${Object.keys(project.config.targets).join(', ')}`)
  }
  const deviations = list(values.deviate) ?? []
  if (deviations.length) {
    if (!project.config.targets[values.candidate]!.reference)
      throw usage(
        `--deviate applies to the candidate when it is the embedded reference; "${values.candidate}" is not (a reference served with conform serve --deviate NAME is a configured target)`,
      )
    checkReferenceNames({ deviations })
  }
  for (const b of list(values.binding) ?? []) if (!(BINDING_NAMES as readonly string[]).includes(b)) throw usage(`unknown binding "${b}"`)
  const { compared, notCompared } = apisToCompare(project, values.baseline, values.candidate, list(values.api))
  const seed = integer(values.seed, '--seed') ?? Math.floor(Math.random() * 2 ** 31)
  const out = resolve(values.out ?? 'reports')
  const runsDir = join(out, 'compare')

  process.stdout.write(`conform compare ${TOOL.version}: ${values.baseline} → ${values.candidate}, seed ${seed}\n`)
  process.stdout.write(
    `APIs compared: ${compared.join(', ')}${notCompared.length ? `; not compared: ${notCompared.map((n) => `${n.api} (${n.reason})`).join(', ')}` : ''}\n`,
  )
  // Both targets usable before anything runs: an unreachable candidate is said now, not after two baseline runs.
  await requireReachable(project, [...new Set([values.baseline, values.candidate])], compared, {
    ...(values.binding ? { bindings: list(values.binding) as BindingName[] } : {}),
    ...(values.covers ? { covers: list(values.covers) } : {}),
  })
  mkdirSync(runsDir, { recursive: true })

  // The built-in reference, where the config has no target of that name, runs from a config of its own.
  const configOf = (target: string): string[] => {
    if (configured.config.targets[target]) return values.config ? ['--config', resolve(values.config)] : []
    const file = join(runsDir, 'reference.config.yaml')
    writeFileSync(file, builtInReferenceConfig())
    return ['--config', file]
  }
  // The same checks with the same seed everywhere, so that generated values match and only behaviour differs.
  const shared = [
    '--seed',
    String(seed),
    ...(values.specs ? ['--specs', resolve(values.specs)] : []),
    '--api',
    compared.join(','),
    ...(values.binding ? ['--binding', values.binding] : []),
    ...(values.covers ? ['--covers', values.covers] : []),
    ...(values.strict ? ['--strict'] : []),
  ]
  const runs = [
    {
      label: `baseline ${values.baseline}, run 1 of 2`,
      args: ['--target', values.baseline, ...configOf(values.baseline), ...shared],
      out: join(runsDir, 'baseline-1'),
    },
    {
      label: `baseline ${values.baseline}, run 2 of 2 (to learn what differs by itself)`,
      args: ['--target', values.baseline, ...configOf(values.baseline), ...shared],
      out: join(runsDir, 'baseline-2'),
    },
    {
      label: `candidate ${values.candidate}${deviations.length ? ` with ${deviations.join(', ')}` : ''}`,
      args: ['--target', values.candidate, ...configOf(values.candidate), ...shared, ...(deviations.length ? ['--deviate', deviations.join(',')] : [])],
      out: join(runsDir, 'candidate'),
    },
  ]
  const started = new Date()
  const signals = new ForwardedSignals()
  try {
    for (const run of runs) {
      if (signals.received) return signals.received === 'SIGTERM' ? 143 : 130
      process.stdout.write(`• ${run.label}…\n`)
      const code = await runChild(run, (line) => process.stdout.write(`  ${line}\n`), signals)
      if (code === 130 || code === 143) return code
      // 0, 1 and 4 are verdicts (4: some cells not verified, which the comparison shows as not compared).
      if (code !== EXIT.conformant && code !== EXIT.notConformant && code !== EXIT.incomplete) {
        process.stderr.write(`conform compare: the ${run.label.split(',')[0]} run ended with exit ${code}; its console is in ${join(run.out, 'console.log')}\n`)
        return code
      }
    }
  } finally {
    signals.off()
  }
  process.stdout.write('• WSDLs…\n')
  const [wsdlBase, wsdlCand] = [await collectWsdls(project, values.baseline, [], compared), await collectWsdls(project, values.candidate, deviations, compared)]
  const report = buildMigration({
    tool: { name: TOOL.name, version: TOOL.version },
    startedAt: started.toISOString(),
    durationMs: Date.now() - started.getTime(),
    baseline: [readRun(runs[0]!.out), readRun(runs[1]!.out)],
    candidate: readRun(runs[2]!.out),
    wsdls: { baseline: wsdlBase, candidate: wsdlCand },
    apis: { compared, notCompared },
  })
  writeFileSync(join(out, 'migration.json'), `${JSON.stringify(report, null, 2)}\n`)
  writeFileSync(join(out, 'migration.md'), renderMigrationMarkdown(report))
  writeFileSync(join(out, 'migration.html'), renderMigrationHtml(report))
  const allure = writeCompareAllureConfig(runsDir, `Migration ${values.baseline} → ${values.candidate}: the candidate`)
  const marked = markAllureResults(allure.resultsDir, report.checks, values.baseline)

  const s = report.summary
  const lines = [
    '',
    `${s.checks} checks: ${s.regression} regressions, ${s.fix} fixes, ${s['both-failing']} both failing, ${s.differs} differ while passing, ${s.same} same, ${s.unstable} unstable on the baseline, ${s['not-compared']} not compared`,
    `WSDL: ${s.wsdlBreaking} breaking changes, ${s.wsdlNotices} notices; noise learned: ${report.noise.keys} answer fields`,
  ]
  for (const n of report.apis.notCompared) lines.push(`  not compared: ${n.api}: ${n.reason}`)
  for (const c of report.checks.filter((x) => x.verdict === 'regression')) lines.push(`  BLOCKER ${c.id}: ${(c.candidate?.message ?? '').split('\n')[0]}`)
  for (const w of report.wsdl) for (const c of w.changes.filter((x) => x.severity === 'breaking')) lines.push(`  BLOCKER ${w.api} WSDL ${c.fact}: ${c.effect}`)
  const rel = (p: string) => (relative(process.cwd(), p).startsWith('..') ? p : relative(process.cwd(), p) || '.')
  lines.push(
    `verdict: ${report.verdict === 'blocked' ? `BLOCKED (${s.blockers} blocker${s.blockers === 1 ? '' : 's'}: regressions and WSDL changes that break a generated client)` : 'clear: nothing the candidate does worse'}`,
    `reports: ${rel(join(out, 'migration.json'))}, ${rel(join(out, 'migration.md'))}, ${rel(join(out, 'migration.html'))}; the runs in ${rel(runsDir)}/`,
    `Allure (candidate, ${marked} marked; its own history, ${rel(allure.historyPath)}): npx allure generate ${rel(allure.resultsDir)} --config ${rel(allure.file)}`,
    '',
  )
  process.stdout.write(lines.join('\n'))
  return report.verdict === 'blocked' ? 1 : 0
}

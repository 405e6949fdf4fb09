import { accessSync, constants, mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import type { BindingName } from '../bindings/types.ts'
import { requireEnv } from '../config.ts'
import { ConformError } from '../errors.ts'
import { loadProject, type Project } from '../project.ts'
import { buildConformance } from '../report/conformance.ts'
import { exitFor } from './exit.ts'
import { loadEnvFile } from './env-file.ts'
import { renderConsoleSummary } from '../report/console.ts'
import { renderHar } from '../report/har.ts'
import { progressReporter } from '../report/progress.ts'
import { clearReports, reportFiles } from '../report/write-reports.ts'
import { allureReporter } from '../report/allure-reporter.ts'
import { CheckRun, type RunOutcome } from '../run/engine-run.ts'
import { endRun, type RunReporter } from '../run/reporter.ts'
import { interruptible } from '../run/signals.ts'
import { surviveBrokenPipes } from '../run/broken-pipe.ts'
import { EXIT } from '../report/verdict.ts'
import { TOOL } from '../tool.ts'
import type { RunOptions } from '../run/options.ts'
import { checkReferenceNames } from './reference-names.ts'
import { moveAside } from '../run/clear-dir.ts'
import { startReferenceEarly } from '../run/early-reference.ts'
import { mark } from '../run/trace.ts'
import { integer, list, parse } from './args.ts'
import { RUN_HELP } from './help.ts'
import { preflight } from './preflight.ts'
import { Slots } from '../transport/slots.ts'
import { TargetLink } from '../transport/link.ts'
import { networkFor } from '../net/network.ts'
import { workingSet } from '../run/working-set.ts'
import { type KnownAccount, preflightAccounts } from '../run/preflight-accounts.ts'
import { selectionOf } from '../run/selection.ts'
import { selectionProblem } from '../run/check-selection.ts'
import { parseShard, planRun, requireShardAccounts } from '../run/shard.ts'
import { planChecks, planningTarget } from '../engine/plan.ts'
import { offeredApis, startTarget } from '../run/resolve-target.ts'
import { JOURNAL_FILE } from '../engine/journal.ts'
import { cutLines, refuseUnfinishedJournal, settleJournal } from '../run/journal-check.ts'

function usage(message: string): ConformError {
  return new ConformError('BAD_USAGE', 'spec', `${message} (see conform run --help)`)
}

function repeatCount(text: string): number {
  const n = integer(text, '--repeat')
  if (n === undefined || n < 1) throw usage('--repeat expects a whole number of at least 1')
  return n
}

/** `extra`: reporters beside the run's own (tests observe the run through them). */
export default async function run(args: string[], extra: readonly RunReporter[] = []): Promise<number> {
  mark('process start', performance.timeOrigin)
  mark('run command loaded')
  const { values } = parse(
    args,
    {
      target: { type: 'string' },
      config: { type: 'string' },
      specs: { type: 'string' },
      api: { type: 'string' },
      binding: { type: 'string' },
      covers: { type: 'string' },
      spec: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      strict: { type: 'boolean' },
      deviate: { type: 'string' },
      vary: { type: 'string' },
      repeat: { type: 'string' },
      shard: { type: 'string' },
      'env-file': { type: 'string' },
    },
    RUN_HELP,
  )
  if (values.help) {
    process.stdout.write(RUN_HELP)
    return 0
  }
  if (values['env-file']) loadEnvFile(values['env-file'])
  const early = startReferenceEarly(values.target, list(values.deviate) ?? [], list(values.vary) ?? [])
  const configFile = values.config ? resolve(values.config) : undefined
  const specsDir = values.specs ? resolve(values.specs) : undefined
  const project = loadProject({ ...(configFile ? { configFile } : {}), ...(specsDir ? { specsDir } : {}) })
  mark('project loaded')
  const targetName = values.target ?? project.config.defaultTarget
  const apis = list(values.api)
  const bindings = list(values.binding)
  const covers = list(values.covers)
  const specIds = list(values.spec)
  const problem = selectionProblem(project, { target: targetName, apis, bindings, covers, specs: specIds })
  if (problem) throw usage(problem.message)
  const target = project.config.targets[targetName]!
  const deviations = list(values.deviate) ?? []
  if (deviations.length && !target.reference) throw usage(`--deviate applies to the embedded reference only; "${targetName}" is not it`)
  const variations = list(values.vary) ?? []
  if (variations.length && !target.reference) throw usage(`--vary applies to the embedded reference only; "${targetName}" is not it`)
  checkReferenceNames({ deviations, variations })
  const options: RunOptions = {
    target: targetName,
    ...(configFile ? { configFile } : {}),
    ...(specsDir ? { specsDir } : {}),
    ...(apis ? { apis } : {}),
    ...(bindings ? { bindings: bindings as BindingName[] } : {}),
    ...(covers ? { covers } : {}),
    ...(specIds ? { specs: specIds } : {}),
    seed: integer(values.seed, '--seed') ?? Math.floor(Math.random() * 2 ** 31),
    strict: values.strict ?? false,
    deviations,
    out: values.out ?? 'reports',
    ...(values.repeat !== undefined ? { repeat: repeatCount(values.repeat) } : {}),
    ...(values.shard !== undefined ? { shard: parseShard(values.shard) } : {}),
  }
  // Before anything is sent: a journal left by a killed run must be replayed first (exit 2 otherwise).
  const journalFile = resolve(options.out, JOURNAL_FILE)
  // Where the journal and the reports go must be a directory this process can write, before anything is sent.
  writableDir(options.out)
  refuseUnfinishedJournal(journalFile)
  // Shards never share a fixture account: each needs its own share (exit 2 otherwise, before anything is sent).
  requireShardAccounts(project, targetName, options)
  options.journal = { file: journalFile, pid: process.pid }
  // From here to the last report line: a signal stops the run (or, before it starts, keeps it from starting), and the
  // reports are still written; a closed stdout (`conform run | head`) never ends the process mid-check.
  const stopping = stopSwitch()
  const signals = interruptible((reason) => stopping.stop(reason), journalFile)
  surviveBrokenPipes()
  try {
    const interrupted = () => (signals.received ? (signals.received === 'SIGTERM' ? 143 : 130) : undefined)
    const code = await runChecks({
      project,
      target,
      targetName,
      options,
      runApis: apis,
      deviations,
      variations,
      early,
      journalFile,
      envFile: values['env-file'] ? resolve(values['env-file']) : undefined,
      stopping,
      interrupted,
      extra,
    })
    return interrupted() ?? code
  } finally {
    signals.off()
  }
}

/** Makes --out (and its parents) if need be; one that cannot be is bad usage (exit 2), not the suite failing. */
function writableDir(out: string): void {
  try {
    mkdirSync(resolve(out), { recursive: true })
    accessSync(resolve(out), constants.W_OK)
  } catch (e) {
    throw usage(`--out ${out}: the reports cannot be written there (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
}

/** The selecting flags of a run, as given. */
function selectionFlags(o: RunOptions): string {
  const flags = [
    ['--api', o.apis],
    ['--binding', o.bindings],
    ['--covers', o.covers],
    ['--spec', o.specs],
  ] as const
  return flags.flatMap(([flag, v]) => (v?.length ? [`${flag} ${v.join(',')}`] : [])).join(' ') || 'no filter'
}

/** Who stops the run: a signal may come before the CheckRun exists; it is then stopped as soon as it does. */
function stopSwitch(): { stop(reason: Error): void; attach(run: CheckRun): void; readonly reason: Error | undefined } {
  let run: CheckRun | undefined
  let reason: Error | undefined
  return {
    stop(r) {
      reason ??= r
      run?.stop(r)
    },
    attach(r) {
      run = r
      if (reason) r.stop(reason)
    },
    get reason() {
      return reason
    },
  }
}

interface ChecksInit {
  project: Project
  target: NonNullable<Project['config']['targets'][string]>
  targetName: string
  options: RunOptions
  runApis: string[] | undefined
  deviations: string[]
  variations: string[]
  early: ReturnType<typeof startReferenceEarly>
  journalFile: string
  /** The --env-file the run read, for the restore it may ask for. */
  envFile: string | undefined
  stopping: ReturnType<typeof stopSwitch>
  /** The exit code of a run stopped by a signal (130, 143), if it was. */
  interrupted: () => number | undefined
  extra: readonly RunReporter[]
}

async function runChecks(init: ChecksInit): Promise<number> {
  const { project, target, targetName, options, deviations, variations, early, journalFile, stopping, extra } = init
  const apis = init.runApis
  const offered = offeredApis(project, targetName)
  const runApis = offered.filter((a) => !apis || apis.includes(a))
  if (runApis.length === 0) throw usage(`target "${targetName}" offers none of the APIs asked for (it offers: ${offered.join(', ') || 'none'})`)
  const offeredBindings = Object.fromEntries(Object.entries(target.apis).map(([a, t]) => [a, t.bindings as BindingName[] | undefined]))
  const plan = planChecks(project, planningTarget(runApis, target.reference ? {} : offeredBindings), { ...options, apis: runApis })
  // Nothing is green on nothing: a selection that plans no check (a spec on a binding it does not have, say) is bad
  // usage, said before anything is sent.
  if (plan.length === 0) {
    throw usage(`the selection plans no check on target "${targetName}" (${selectionFlags({ ...options, apis: apis ?? [] })}); nothing was run`)
  }
  // A configured target: the base-URL GETs and the account preflight go at once, under one budget of requests in flight.
  const slots = target.reference ? undefined : new Slots(target.limits.concurrency)
  let reached: Promise<void> | undefined
  if (!target.reference) {
    requireEnv(project.config, targetName)
    // Only the base URLs of the APIs this run uses: those asked for, and the other API of their cross-API checks.
    const used = new Set([...runApis, ...plan.flatMap((c) => (c.counterpart ? [c.counterpart.api.api] : []))])
    reached = preflight({ ...target, apis: Object.fromEntries(Object.entries(target.apis).filter(([a]) => used.has(a))) }, slots ? { slots } : {})
    // With a pace, each client paces only its own requests: the two would together exceed it, so the GETs go first.
    if (target.limits.requestsPerSecond) await reached
    // Else awaited with the accounts (its failure comes first); marked handled meanwhile, so that it is not fatal early.
    else reached.catch(() => undefined)
  }
  options.apis = runApis
  const outDir = resolve(options.out)
  const startedAt = new Date()
  process.stdout.write(
    `conform ${TOOL.version}: target ${targetName}, seed ${options.seed}${deviations.length ? `, deviations ${deviations.join(', ')}` : ''}${variations.length ? `, variations ${variations.join(', ')}` : ''}\n`,
  )
  const allureResults = resolve(outDir, 'allure-results')
  // The reference on a thread of its own: this thread runs the checks and the reporters.
  const reference = target.reference ? early.use() : undefined
  if (!reference) early.discard()
  const started = await startTarget(project, targetName, deviations, {
    thread: true,
    variations,
    ...(reference ? { started: reference } : {}),
    ...(options.shard ? { shard: options.shard } : {}),
  })
  mark('target started')
  const known: KnownAccount[] = []
  // A configured target: only the accounts that can be in use at once are logged in, read, lent and logged out.
  // The working set's lists differ from the started target's in fixtures only, which planning never reads: one plan.
  const cases = target.reference ? [] : planRun(project, started.target, options)
  const working = target.reference ? undefined : workingSet(started.target, project.apis, cases, options.repeat)
  const runTarget = working?.target ?? started.target
  let link: TargetLink | undefined
  // Stopped before the checks: what was started is stopped, and a base URL that did not answer (or TLS material that
  // cannot be read) is the run's error, not what follows from it.
  const stopBefore = async (e: unknown): Promise<never> => {
    await started.stop()
    await link?.close()
    await reached
    throw e
  }
  // The checks go on with the preflight's request slots and connections (no second round of handshakes).
  try {
    link = slots ? new TargetLink(slots, runTarget.limits, networkFor(started.target)) : undefined
  } catch (e) {
    await stopBefore(e)
  }
  if (working) {
    const accounts = await preflightAccounts({
      target: runTarget,
      apis: project.apis,
      catalogue: project.catalogue,
      cases,
      handOver: known,
      configured: target.apis,
      ...(link ? { link } : {}),
      ...(reached ? { alongside: reached } : {}),
    }).catch(stopBefore)
    mark('preflight done')
    if (accounts.length)
      process.stdout.write(
        `preflight: ${working.touched} fixture account(s) logged in and read back (${[...new Set(accounts.map((a) => `${a.api} ${a.role}`))].join(', ')}); their sessions kept for the run${working.untouched ? `; ${working.untouched} more not needed at concurrency ${runTarget.limits.concurrency}, left untouched` : ''}\n`,
      )
  }
  // Settled by now when the accounts were checked (alongside); awaited here when there were none to check.
  await reached?.catch(stopBefore)
  // The previous run's reports stay until this one is sure to run (its target reached, its accounts usable).
  clearReports(outDir)
  // Allure would show results left from an earlier run as retries of this one.
  const previous = moveAside(allureResults)
  const reporters = [
    progressReporter((line) => process.stdout.write(`${line}\n`)),
    reportFiles(outDir, (checks) => renderHar([...checks], { tool: TOOL })),
    allureReporter(allureResults, { target: targetName, seed: options.seed, version: TOOL.version, deviations, project }),
    ...extra,
  ]
  let outcome: RunOutcome
  let planned = 0
  try {
    const run = new CheckRun({ project, target: runTarget, options, reporters, known, ...(link ? { link } : {}) })
    planned = run.cases.length
    stopping.attach(run)
    try {
      outcome = await run.all()
    } finally {
      await run.close()
      mark('sessions closed')
    }
  } finally {
    await started.stop()
    await link?.close()
    mark('target stopped')
  }
  const suiteErrors = [...outcome.errors]
  // Stopped checks are reported failed, and those never started have no verdict: an interrupted run judges nothing.
  const stoppedBy = stopping.reason
    ? `${stopping.reason.message}: ${planned - outcome.checks.length} of ${planned} planned check(s) did not run, and the checks under way were stopped (their users restored first)`
    : undefined
  const report = buildConformance(outcome.checks, project.catalogue, {
    tool: { name: TOOL.name, version: TOOL.version },
    target: targetName,
    seed: options.seed,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    deviations,
    apis: runApis,
    bindingsOffered: offeredBindings,
    concurrency: started.target.limits.concurrency,
    ...(options.shard ? { shard: options.shard } : {}),
    ...(options.repeat ? { repeat: options.repeat } : {}),
    ...(selectionOf(options, project) ? { selected: selectionOf(options, project)! } : {}),
    ...(suiteErrors.length ? { suiteErrors } : {}),
    ...(stoppedBy ? { interrupted: stoppedBy } : {}),
  })
  mark('report built')
  const reporterErrors = await endRun(reporters, { report, checks: outcome.checks })
  mark('reports written')
  previous.discard()
  process.stdout.write(renderConsoleSummary(report, options.out))
  // The hint names what the run was given: restore needs the same config, target and variables.
  const restoreFlags = [
    ...(options.configFile ? [` --config ${options.configFile}`] : []),
    ` --target ${targetName}`,
    ...(init.envFile ? [` --env-file ${init.envFile}`] : []),
  ].join('')
  const journal = settleJournal(journalFile)
  if (journal.broken.length) {
    process.stderr.write(
      `\nJOURNAL_CUT ${journal.broken.length} journal line(s) were cut short (${cutLines(journalFile, journal.broken)}): what they recorded may be lost. Run: conform restore --journal ${journalFile}${restoreFlags}\n`,
    )
  }
  if (journal.open.length) {
    process.stderr.write(
      `\nRESTORE NOT VERIFIED for ${journal.open.length} fixture user(s): ${journal.open.map((u) => `${u.first.api} user ${u.first.user}`).join(', ')}.\nThey may still be changed. Run: conform restore --journal ${journalFile}${restoreFlags}\n`,
    )
  } else if (journal.snapshots && !journal.broken.length) {
    process.stdout.write(`journal: ${journal.snapshots} fixture user snapshot(s), every one restored and verified\n`)
  }
  // The report was built before its writers ran: what failed is said here, and the run gives no verdict.
  if (reporterErrors.length) process.stderr.write(`${reporterErrors.map((e) => `suite error: ${e}`).join('\n')}\n`)
  // Interrupted, the exit code says so (130, 143), whatever else went wrong.
  const interrupted = init.interrupted()
  if (interrupted !== undefined) return interrupted
  if (reporterErrors.length) {
    process.stderr.write(`exit ${EXIT.suiteError}: the suite itself failed; this run gives no verdict on the target\n`)
    return EXIT.suiteError
  }
  return exitFor(report, journal.open.length + journal.broken.length)
}

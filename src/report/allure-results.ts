import { mkdirSync } from 'node:fs'
import { rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Stage, Status, type TestResult, type TestResultContainer } from 'allure-js-commons'
import type { Category, EnvironmentInfo } from 'allure-js-commons/sdk'
import { ReporterRuntime, stringifyEnvInfo, type Writer } from 'allure-js-commons/sdk/reporter'
import type { Catalogue } from '../catalogue.ts'
import type { CheckResult } from '../engine/result.ts'
import type { Category as FailureCategory } from '../errors.ts'
import { allureMessages, type AllureContext } from './allure.ts'
import { allureFailureMessage } from './failure-message.ts'

/**
 * What a QA team reads: a failure of the target (its behaviour, its answers' schema, its transport) is Failed; Broken
 * is kept for trouble of the suite's own making (a spec, a setup step); a check that did not run is Skipped, with why.
 */
const TARGET_FAULT: ReadonlySet<FailureCategory> = new Set(['behaviour', 'schema', 'transport'])

export function allureStatusOf(check: Pick<CheckResult, 'status' | 'category'>): Status {
  switch (check.status) {
    case 'passed':
    case 'warned':
      return Status.PASSED
    case 'skipped':
      return Status.SKIPPED
    case 'failed':
      return check.category === null || TARGET_FAULT.has(check.category) ? Status.FAILED : Status.BROKEN
  }
}

/**
 * Plain files: a run writes hundreds, and allure's own writer syncs each one to disk. Written without waiting: the
 * run's thread goes on with the checks while the files are made (`settled` waits for them, and says which failed).
 */
class PlainWriter implements Writer {
  private readonly dir: string
  private readonly pending = new Set<Promise<void>>()
  private failure: Error | undefined
  constructor(dir: string) {
    this.dir = dir
    mkdirSync(dir, { recursive: true })
  }
  private put(name: string, content: string | Buffer): void {
    // Under another name until whole: a run stopped at once (a second signal) leaves no file cut short for Allure to read.
    const at = join(this.dir, name)
    const part = join(this.dir, `.${name}.part`)
    const p = writeFile(part, content)
      .then(() => rename(part, at))
      .then(
        () => {
          this.pending.delete(p)
        },
        (e: unknown) => {
          this.pending.delete(p)
          this.failure ??= e as Error
        },
      )
    this.pending.add(p)
  }
  /** Every file asked for so far, written; the first that could not be, thrown. */
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all(this.pending)
    if (this.failure) throw this.failure
  }
  writeResult(result: TestResult): void {
    this.put(`${result.uuid}-result.json`, JSON.stringify(result))
  }
  writeGroup(result: TestResultContainer): void {
    this.put(`${result.uuid}-container.json`, JSON.stringify(result))
  }
  writeAttachment(distFileName: string, content: Buffer): void {
    this.put(distFileName, content)
  }
  writeAttachmentFromPath(distFileName: string, from: string): void {
    this.put(distFileName, from)
  }
  writeEnvironmentInfo(info: EnvironmentInfo): void {
    this.put('environment.properties', stringifyEnvInfo(info))
  }
  writeCategoriesDefinitions(categories: Category[]): void {
    this.put('categories.json', JSON.stringify(categories))
  }
  writeGlobals(distFileName: string, info: unknown): void {
    this.put(distFileName, JSON.stringify(info))
  }
}

export interface AllureRunInfo {
  target: string
  seed: number
  version: string
  catalogue: Catalogue
  /** The documentation page of an operation, linked from its checks. */
  docsOf?: (check: CheckResult) => string | undefined
  environment: EnvironmentInfo
}

/**
 * The run's Allure results, written as its checks end (`write`), through allure-js-commons' reporter runtime: one
 * test a check, in the tree API › operation › behaviour, its phases as steps with the exchanges attached; the
 * environment (with the verdict) once the run ends (`finish`). No stack traces, no framework, host or thread labels: a
 * result speaks about the target.
 */
export class AllureResults {
  private readonly writer: PlainWriter
  private readonly runtime: ReporterRuntime
  private readonly run: Omit<AllureRunInfo, 'environment'>

  constructor(dir: string, run: Omit<AllureRunInfo, 'environment'>) {
    this.writer = new PlainWriter(dir)
    this.runtime = new ReporterRuntime({ writer: this.writer })
    this.run = run
  }

  write(check: CheckResult): void {
    const { runtime, run } = this
    const docs = run.docsOf?.(check)
    const ctx: AllureContext = { target: run.target, seed: run.seed, version: run.version, catalogue: run.catalogue, ...(docs ? { docs } : {}) }
    const start = check.steps[0] ? Date.parse(check.steps[0].startedAt) : Date.now()
    const uuid = runtime.startTest({ name: check.id, fullName: `${check.api}/${check.operation}/${check.id}`, start })
    runtime.applyRuntimeMessages(uuid, allureMessages(check, ctx))
    runtime.updateTest(uuid, (result) => {
      const behaviour = check.covers[0]
      result.labels.push(
        { name: 'parentSuite', value: check.api },
        { name: 'suite', value: check.operation },
        { name: 'subSuite', value: behaviour ? `${behaviour} ${run.catalogue.get(behaviour)?.title ?? ''}`.trim() : check.id },
      )
      result.status = allureStatusOf(check)
      result.stage = check.status === 'skipped' ? Stage.PENDING : Stage.FINISHED
      const message =
        check.status === 'skipped' ? `not verified: ${check.message ?? 'no reason given'}` : check.status === 'passed' ? '' : allureFailureMessage(check)
      if (message) result.statusDetails = { message }
    })
    runtime.stopTest(uuid, { stop: start + check.durationMs })
    runtime.writeTest(uuid)
  }

  /** Every check's files written so far (the first that could not be, thrown). */
  settled(): Promise<void> {
    return this.writer.settled()
  }

  /** The environment, once every check's files are written: a report that has it is whole. */
  async finish(environment: EnvironmentInfo): Promise<void> {
    await this.writer.settled()
    this.writer.writeEnvironmentInfo(environment)
    await this.writer.settled()
  }
}

/** The Allure results of checks already run (merged shards): each check, then the environment. */
export async function writeAllureResults(dir: string, checks: readonly CheckResult[], run: AllureRunInfo): Promise<void> {
  const results = new AllureResults(dir, run)
  for (const check of checks) results.write(check)
  await results.finish(run.environment)
}

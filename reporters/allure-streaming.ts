import { writeFile } from 'node:fs/promises'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { RunnerTask } from 'vitest'
import type { TestCase, TestModule, Vitest } from 'vitest/node'
import AllureVitestReporter, { type AllureVitestReporterConfig } from 'allure-vitest/reporter'
import { FileSystemWriter } from 'allure-js-commons/sdk/reporter'
import type { RuntimeMessage } from 'allure-js-commons/sdk'
import type { CheckResult } from '../src/engine/result.ts'

/**
 * allure-vitest's reporter writes every result when the run ends, each file fsync'd (≈1 s per thousand files on a
 * small VM) while the run has long been idle, and keeps every test's attachments in memory until then. This one
 * writes each test's result and attachments as soon as vitest reports the test, without fsync, in the background,
 * and lets go of the attachments; the files and their content are the same as allure-vitest's.
 */
export class StreamingAllureReporter extends AllureVitestReporter {
  private readonly resultsDir: string
  private readonly describe: ((check: CheckResult) => RuntimeMessage[]) | undefined
  private readonly handled = new Set<string>()
  private writer: BackgroundWriter | undefined

  /**
   * `describe`: the Allure messages of a check (src/report/allure.ts allureMessages), built here from the check's
   * verdict instead of inside the test, so that the worker running the checks does not spend its time on them.
   */
  constructor(config: AllureVitestReporterConfig & { resultsDir: string; describe?: (check: CheckResult) => RuntimeMessage[] }) {
    const { describe, ...rest } = config
    super(rest)
    this.resultsDir = config.resultsDir
    this.describe = describe
  }

  override onInit(vitest: Vitest): void {
    super.onInit(vitest)
    this.writer = new BackgroundWriter(this.resultsDir)
    const runtime = (this as unknown as { allureReporterRuntime?: { writer: unknown } }).allureReporterRuntime
    if (runtime) runtime.writer = this.writer
  }

  onTestCaseResult(test: TestCase): void {
    const task = (test as unknown as { task: RunnerTask }).task
    const check = task.meta.check as CheckResult | undefined
    // The test may have waited for its check in a queue: Allure shows the check's own start and duration.
    const start = check?.steps[0] ? Date.parse(check.steps[0].startedAt) : undefined
    if (task.result && check && start !== undefined) {
      task.result.startTime = start
      task.result.duration = check.durationMs
    }
    const meta = task.meta as { allureRuntimeMessages?: RuntimeMessage[] }
    if (this.describe && check) meta.allureRuntimeMessages = [...this.describe(check), ...(meta.allureRuntimeMessages ?? [])]
    this.handleTask(task)
    this.handled.add(task.id)
    delete (task.meta as { allureRuntimeMessages?: unknown }).allureRuntimeMessages
  }

  override handleTask(task: RunnerTask): void {
    if (task.type === 'test' && this.handled.has(task.id)) return
    super.handleTask(task)
  }

  override async onTestRunEnd(tests: ReadonlyArray<TestModule>): Promise<void> {
    super.onTestRunEnd(tests)
    await this.writer?.flush()
  }
}

/** allure's FileSystemWriter for the rare files; results and attachments written asynchronously, a few at a time. */
class BackgroundWriter extends FileSystemWriter {
  private readonly dir: string
  private readonly queue: Array<() => Promise<void>> = []
  private running = 0
  private failure: unknown
  private idle: Array<() => void> = []

  constructor(resultsDir: string) {
    super({ resultsDir })
    this.dir = resultsDir
    mkdirSync(resultsDir, { recursive: true })
  }

  override writeAttachment(distFileName: string, content: Buffer): void {
    this.push(distFileName, content)
  }

  override writeResult(result: { uuid: string }): void {
    this.push(`${result.uuid}-result.json`, JSON.stringify(result))
  }

  /** Resolves when every file handed over is written; rejects with the first write that failed. */
  async flush(): Promise<void> {
    if (this.running > 0 || this.queue.length > 0) await new Promise<void>((resolve) => this.idle.push(resolve))
    if (this.failure) throw this.failure
  }

  private push(name: string, content: string | Buffer): void {
    this.queue.push(() => writeFile(join(this.dir, name), content))
    this.drain()
  }

  private drain(): void {
    while (this.running < 8 && this.queue.length > 0) {
      const write = this.queue.shift()!
      this.running++
      write().catch((e: unknown) => { this.failure ??= e }).finally(() => {
        this.running--
        this.drain()
      })
    }
    if (this.running === 0 && this.queue.length === 0) {
      const waiting = this.idle
      this.idle = []
      for (const w of waiting) w()
    }
  }
}

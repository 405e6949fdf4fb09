import { fork, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { setPriority } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { RunnerTask } from 'vitest'
import type { TestCase, TestModule, Vitest } from 'vitest/node'
import AllureVitestReporter, { type AllureVitestReporterConfig } from 'allure-vitest/reporter'
import { FileSystemWriter } from 'allure-js-commons/sdk/reporter'
import type { RuntimeMessage } from 'allure-js-commons/sdk'
import type { CheckResult } from '../src/engine/result.ts'
import { snapshotOf, type TestSnapshot } from './allure-snapshot.ts'

const WRITER = fileURLToPath(new URL('./allure-file-writer.ts', import.meta.url))

/**
 * allure-vitest's reporter writes every result when the run ends, each file fsync'd (≈1 s per thousand files on a
 * small VM) while the run has long been idle, and keeps every test's attachments in memory until then. This one
 * hands each test, as soon as vitest reports it, to a low-priority process (allure-file-writer.ts) that turns it into
 * its result with allure-vitest's own code and writes the files (no fsync), and lets go of it; the files and their
 * content are the same as allure-vitest's. Building the results there matters as much as writing them: allure's
 * runtime spends ~1 ms a test (process.env walked for labels, a stat of the test's file, copies of the result), on
 * the thread that also runs vitest, while the checks and the target want both cores.
 * The configuration crosses to that process as JSON: functions in it (listeners) are not supported.
 */
export class StreamingAllureReporter extends AllureVitestReporter {
  private readonly resultsDir: string
  private readonly builderConfig: object
  /** A folder of the previous run's results (moved aside), whose files the writer reuses. */
  private readonly recycle: string | undefined
  private readonly describe: ((check: CheckResult) => RuntimeMessage[]) | undefined
  private readonly handled = new Set<string>()
  private writer: BackgroundWriter | undefined

  /**
   * `describe`: the Allure messages of a check (src/report/allure.ts allureMessages), built here from the check's
   * verdict instead of inside the test, so that the worker running the checks does not spend its time on them.
   */
  constructor(config: AllureVitestReporterConfig & { resultsDir: string; describe?: (check: CheckResult) => RuntimeMessage[]; recycle?: string }) {
    const { describe, recycle, ...rest } = config
    super(rest)
    this.resultsDir = config.resultsDir
    this.builderConfig = rest
    this.describe = describe
    this.recycle = recycle
  }

  override onInit(vitest: Vitest): void {
    if (this.describe) {
      // The checks are described here: the worker needs none of allure-vitest's own parts (its setup file's hooks cost
      // four task updates a test, its runner wraps ours). The rest of allure-vitest's onInit, as it has it.
      const noWorkerParts = this as unknown as { registerSetupFile(v: Vitest): void; enableConcurrencySupport(v: Vitest): void }
      noWorkerParts.registerSetupFile = () => {}
      noWorkerParts.enableConcurrencySupport = () => {}
    }
    super.onInit(vitest)
    this.writer = new BackgroundWriter(this.resultsDir, this.builderConfig, this.recycle)
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
    const messages = [...(this.describe && check ? this.describe(check) : []), ...(meta.allureRuntimeMessages ?? [])]
    delete meta.allureRuntimeMessages
    if (task.mode === 'skip' && !task.result) return
    this.writer?.test(snapshotOf(task, messages))
    this.handled.add(task.id)
  }

  override handleTask(task: RunnerTask): void {
    if (task.type === 'test' && this.handled.has(task.id)) return
    super.handleTask(task)
  }

  override async onTestRunEnd(tests: ReadonlyArray<TestModule>): Promise<void> {
    super.onTestRunEnd(tests)
    try {
      await this.writer?.flush()
    } finally {
      this.writer?.close()
    }
  }
}

/**
 * allure's FileSystemWriter for the rare files; tests, results and attachments handed, in order, to a process at the
 * lowest CPU priority (reporters/allure-file-writer.ts), so that building and creating ~2000 files never slows the checks.
 */
class BackgroundWriter extends FileSystemWriter {
  private readonly child: ChildProcess
  private flushes = 0
  private readonly waiting = new Map<number, (reply: { failure?: string }) => void>()
  private exited: Error | undefined

  constructor(resultsDir: string, config: object, recycle?: string) {
    super({ resultsDir })
    mkdirSync(resultsDir, { recursive: true })
    // execArgv: [] — none of conform's own Node flags (a heap limit, --cpu-prof) is meant for the writer.
    this.child = fork(WRITER, [resultsDir, JSON.stringify(config), ...(recycle ? [recycle] : [])], { execArgv: [], env: writerEnv(), serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    try {
      setPriority(this.child.pid!, 19)
    } catch {
      // Not allowed here (some containers): the files are still written, at normal priority.
    }
    // Nothing here keeps conform alive but a flush under way (the writer finishes its files on its own).
    this.child.unref()
    this.child.channel?.unref()
    this.child.on('message', (m: { flushed: number; failure?: string }) => {
      this.waiting.get(m.flushed)?.(m)
      this.waiting.delete(m.flushed)
    })
    this.child.on('exit', (code) => {
      this.exited = new Error(`the Allure file writer exited (${code}) before writing every file`)
      for (const w of this.waiting.values()) w({ failure: this.exited.message })
      this.waiting.clear()
    })
  }

  override writeAttachment(distFileName: string, content: Buffer): void {
    this.push(distFileName, content)
  }

  override writeResult(result: { uuid: string }): void {
    this.push(`${result.uuid}-result.json`, JSON.stringify(result))
  }

  /** Resolves when every file handed over is written; rejects if one could not be. */
  async flush(): Promise<void> {
    if (this.exited) throw this.exited
    const n = ++this.flushes
    this.child.channel?.ref()
    const reply = await new Promise<{ failure?: string }>((resolve) => {
      this.waiting.set(n, resolve)
      this.child.send({ flush: n })
    }).finally(() => this.child.channel?.unref())
    if (reply.failure) throw new Error(`Allure results could not all be written: ${reply.failure}`)
  }

  /** Lets the writer go once it has written what it was given. */
  close(): void {
    if (this.child.connected) this.child.disconnect()
  }

  /** A test, turned into its result and attachments over there. */
  test(snapshot: TestSnapshot): void {
    this.child.send({ test: snapshot })
  }

  private push(name: string, content: string | Buffer): void {
    this.child.send({ name, content })
  }
}

/**
 * The writer's environment: allure's variables (ALLURE_LABEL_*, ALLURE_HOST_NAME, …) and what Node itself reads. allure
 * walks the whole environment for label variables once a test, and each variable read is a call into Node's C++:
 * on this VM (35 variables) getEnvironmentLabels was 12 % of the building's CPU; CI runners have a hundred or more.
 */
function writerEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(ALLURE_|NODE_|TZ$|HOME$|PATH$|TMPDIR$|TEMP$|TMP$|SYSTEMROOT$)/i.test(k)))
}

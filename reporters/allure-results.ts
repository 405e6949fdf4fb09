/** Allure results of vitest tests, built by allure-vitest's own reporter code, in the writer process (allure-file-writer.ts). */
import AllureVitestReporter from 'allure-vitest/reporter'
import { FileSystemWriter, ReporterRuntime } from 'allure-js-commons/sdk/reporter'
import type { RunnerTask } from 'vitest'
import type { TestSnapshot } from './allure-snapshot.ts'

type WriteFile = (name: string, content: string | Uint8Array) => void

/** allure's writer with plain writes (no temporary file and fsync per file: a run writes thousands). */
class PlainWriter extends FileSystemWriter {
  private readonly write: WriteFile
  constructor(resultsDir: string, write: WriteFile) {
    super({ resultsDir })
    this.write = write
  }
  override writeAttachment(distFileName: string, content: Buffer): void {
    this.write(distFileName, content)
  }
  override writeResult(result: { uuid: string }): void {
    this.write(`${result.uuid}-result.json`, JSON.stringify(result))
  }
}

interface ReporterInternals {
  allureReporterRuntime: ReporterRuntime
  globalRuntimeMessages: unknown[]
}

/** `config`: the reporter's configuration as JSON carries it (functions, such as listeners, do not cross processes). */
export function resultBuilder(resultsDir: string, write: WriteFile, config: Record<string, unknown>) {
  const reporter = new AllureVitestReporter({ ...config, resultsDir })
  const internals = reporter as unknown as ReporterInternals
  const { reportMatchers: _matchers, listeners: _listeners, ...runtimeConfig } = config
  internals.allureReporterRuntime = new ReporterRuntime({ ...runtimeConfig, writer: new PlainWriter(resultsDir, write) })
  return {
    add(test: TestSnapshot): void {
      reporter.handleTask(test as unknown as RunnerTask)
    },
    /** Failed hooks' messages, which allure-vitest applies at the run's end. */
    flushGlobals(): void {
      if (!internals.globalRuntimeMessages.length) return
      internals.allureReporterRuntime.applyGlobalRuntimeMessages(internals.globalRuntimeMessages as Parameters<ReporterRuntime['applyGlobalRuntimeMessages']>[0])
      internals.globalRuntimeMessages = []
    },
  }
}

import type { RunnerTask } from 'vitest'
import type { RuntimeMessage } from 'allure-js-commons/sdk'

interface SuiteSnapshot { name: string; suite?: SuiteSnapshot }

/** What allure-vitest's reporter reads of a vitest test, as plain data that can cross to another process. */
export interface TestSnapshot {
  type: 'test'
  id: string
  name: string
  mode: RunnerTask['mode']
  file: { filepath: string }
  suite?: SuiteSnapshot
  meta: { allureRuntimeMessages: RuntimeMessage[]; allureGlobalRuntimeMessages?: unknown[]; vitestWorker?: unknown; browser?: unknown; allureSkip?: boolean }
  result?: Pick<NonNullable<RunnerTask['result']>, 'state' | 'startTime' | 'duration' | 'errors' | 'hooks'>
}

function suiteOf(suite: RunnerTask['suite']): SuiteSnapshot | undefined {
  return suite ? { name: suite.name, ...(suite.suite ? { suite: suiteOf(suite.suite) } : {}) } : undefined
}

/** The test as allure-vitest's handleTask and getTestMetadata see it, with `messages` as its Allure runtime messages. */
export function snapshotOf(task: RunnerTask, messages: RuntimeMessage[]): TestSnapshot {
  const meta = task.meta as TestSnapshot['meta']
  const r = task.result
  return {
    type: 'test',
    id: task.id,
    name: task.name,
    mode: task.mode,
    file: { filepath: task.file.filepath },
    ...(task.suite ? { suite: suiteOf(task.suite) } : {}),
    meta: {
      allureRuntimeMessages: messages,
      ...(meta.allureGlobalRuntimeMessages ? { allureGlobalRuntimeMessages: meta.allureGlobalRuntimeMessages } : {}),
      ...(meta.vitestWorker !== undefined ? { vitestWorker: meta.vitestWorker } : {}),
      ...(meta.browser !== undefined ? { browser: meta.browser } : {}),
      ...(meta.allureSkip !== undefined ? { allureSkip: meta.allureSkip } : {}),
    },
    ...(r ? { result: { state: r.state, startTime: r.startTime, duration: r.duration, errors: r.errors, hooks: r.hooks } } : {}),
  }
}

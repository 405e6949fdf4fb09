import type { Project } from '../project.ts'
import type { RunReporter } from '../run/reporter.ts'
import { TOOL } from '../tool.ts'
import { AllureResults } from './allure-results.ts'

export interface AllureReporterInfo {
  target: string
  seed: number
  version: string
  deviations: readonly string[]
  project: Project
}

/**
 * Allure results of the run in DIR (one result per check, API › operation › behaviour), each written as soon as its
 * check ends (while a remote target answers other checks, not all at the end); the environment, with the verdict,
 * when the run ends.
 */
export function allureReporter(dir: string, info: AllureReporterInfo): RunReporter & { settled(): Promise<void> } {
  const { project } = info
  let results: AllureResults | undefined
  const open = () =>
    (results ??= new AllureResults(dir, {
      target: info.target,
      seed: info.seed,
      version: info.version,
      catalogue: project.catalogue,
      docsOf: (check) => project.apis.get(check.api)?.operations[check.operation]?.docs,
    }))
  return {
    onCheck: (check) => open().write(check),
    /** The files of the checks reported so far, written. */
    settled: () => open().settled(),
    onEnd: ({ report }) =>
      open().finish({
        target: info.target,
        suite: `${TOOL.name} ${TOOL.version}`,
        seed: String(info.seed),
        verdict: report.summary.verdict,
        ...(info.deviations.length ? { deviations: info.deviations.join(', ') } : {}),
      }),
  }
}

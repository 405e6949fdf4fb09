import type { Project } from '../project.ts'
import type { RunReporter } from '../run/reporter.ts'
import { TOOL } from '../tool.ts'
import { writeAllureResults } from './allure-results.ts'

export interface AllureReporterInfo {
  target: string
  seed: number
  version: string
  deviations: readonly string[]
  project: Project
}

/** Allure results of the run in DIR (one result per check, API › operation › behaviour), written when the run ends. */
export function allureReporter(dir: string, info: AllureReporterInfo): RunReporter {
  const { project } = info
  return {
    onEnd: ({ report, checks }) =>
      writeAllureResults(dir, checks, {
        target: info.target,
        seed: info.seed,
        version: info.version,
        catalogue: project.catalogue,
        docsOf: (check) => project.apis.get(check.api)?.operations[check.operation]?.docs,
        environment: {
          target: info.target,
          suite: `${TOOL.name} ${TOOL.version}`,
          seed: String(info.seed),
          verdict: report.summary.verdict,
          ...(info.deviations.length ? { deviations: info.deviations.join(', ') } : {}),
        },
      }),
  }
}

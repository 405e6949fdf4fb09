import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { PROJECT_ROOT } from '../paths.ts'

/**
 * The Allure config of a comparison, written beside its runs: the project's categories (regressions first), but its own
 * results, report and history file. The project's allurerc.mjs keeps the history of the main runs in
 * reports/allure-history.jsonl; a comparison's candidate run generated with it would be appended there as one more run
 * of the main target.
 */
export function writeCompareAllureConfig(runsDir: string, title: string): { file: string; resultsDir: string; output: string; historyPath: string } {
  const file = join(runsDir, 'allurerc.mjs')
  const paths = {
    resultsDir: join(runsDir, 'candidate', 'allure-results'),
    output: join(runsDir, 'allure-report'),
    historyPath: join(runsDir, 'allure-history.jsonl'),
  }
  writeFileSync(
    file,
    [
      '// Written by conform compare: the candidate run with its regressions marked, with a history of its own.',
      `import base from ${JSON.stringify(pathToFileURL(resolve(PROJECT_ROOT, 'allurerc.mjs')).href)}`,
      '',
      `export default { ...base, name: ${JSON.stringify(title)}, resultsDir: ${JSON.stringify(paths.resultsDir)}, output: ${JSON.stringify(paths.output)}, historyPath: ${JSON.stringify(paths.historyPath)} }`,
      '',
    ].join('\n'),
  )
  return { file, ...paths }
}

import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ConformError } from '../errors.ts'
import { loadProject } from '../project.ts'
import type { ConformanceReport } from '../report/conformance.ts'
import { renderConsoleSummary } from '../report/console.ts'
import { writeReports } from '../report/write-reports.ts'
import type { Har } from '../report/har.ts'
import { mergeHar, mergeReports, type ShardInput } from '../report/merge.ts'
import { moveAside } from '../run/clear-dir.ts'
import { parse } from './args.ts'
import { exitFor } from './exit.ts'
import { MERGE_HELP } from './help.ts'

function readJson<T>(file: string, what: string): T {
  if (!existsSync(file)) throw new ConformError('MERGE_INPUT', 'spec', `${file} not found: is this the --out folder of a 'conform run --shard'? (${what})`)
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T
  } catch (e) {
    throw new ConformError('MERGE_INPUT', 'spec', `${file} is not valid JSON: ${(e as Error).message}`)
  }
}

/** `conform merge DIR…`: one set of reports from the shards' reports (see MERGE_HELP). */
export default async function merge(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: 'string' }, config: { type: 'string' }, specs: { type: 'string' } }, MERGE_HELP, true)
  if (values.help) {
    process.stdout.write(MERGE_HELP)
    return 0
  }
  if (positionals.length === 0) throw new ConformError('BAD_USAGE', 'spec', `name the shards' report folders\n\n${MERGE_HELP}`)
  const outDir = resolve(values.out ?? 'reports')
  const dirs = positionals.map((d) => resolve(d))
  if (dirs.includes(outDir)) throw new ConformError('BAD_USAGE', 'spec', `--out ${values.out ?? 'reports'} is one of the shards: merge into another folder`)
  const shards: ShardInput[] = dirs.map((dir, i) => ({
    name: positionals[i]!,
    report: readJson<ConformanceReport>(join(dir, 'conformance.json'), 'conformance.json'),
  }))
  const hars = dirs.map((dir) => readJson<Har>(join(dir, 'exchanges.har'), 'exchanges.har'))
  const project = loadProject({
    ...(values.config ? { configFile: resolve(values.config) } : {}),
    ...(values.specs ? { specsDir: resolve(values.specs) } : {}),
  })
  const { report, checks } = mergeReports(shards, project.catalogue)

  mkdirSync(outDir, { recursive: true })
  const allure = join(outDir, 'allure-results')
  const previous = moveAside(allure)
  mkdirSync(allure, { recursive: true })
  // Result and attachment files are named by UUID, so shards never collide; environment and categories are the same in each.
  for (const dir of dirs) {
    const from = join(dir, 'allure-results')
    if (!existsSync(from)) continue
    for (const name of readdirSync(from)) cpSync(join(from, name), join(allure, name), { force: false, errorOnExist: false, recursive: true })
  }
  writeReports(outDir, report, checks, `${JSON.stringify(mergeHar(hars), null, 2)}\n`)
  previous.discard()
  process.stdout.write(`merged ${shards.length} shard${shards.length > 1 ? 's' : ''}: ${positionals.join(', ')}\n`)
  process.stdout.write(renderConsoleSummary(report, values.out ?? 'reports'))
  return exitFor(report)
}

import { listDeviations } from '../../reference/index.ts'
import { parse } from './args.ts'
import { DEVIATIONS_HELP } from './help.ts'

export default async function deviations(args: string[]): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } }, DEVIATIONS_HELP)
  if (values.help) {
    process.stdout.write(DEVIATIONS_HELP)
    return 0
  }
  const list = listDeviations()
  if (values.json) {
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`)
    return 0
  }
  const width = Math.max(...list.map((d) => d.name.length))
  for (const d of list) process.stdout.write(`${d.name.padEnd(width)}  ${d.api.padEnd(11)} breaks ${d.breaks.join(', ').padEnd(14)} ${d.description}\n`)
  process.stdout.write(`\n${list.length} deviations. Apply with: conform run --deviate NAME[,NAME…]\n`)
  return 0
}

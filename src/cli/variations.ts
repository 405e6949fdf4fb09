import { listVariations } from '../../reference/index.ts'
import { parse } from './args.ts'
import { VARIATIONS_HELP } from './help.ts'

export default async function variations(args: string[]): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } }, VARIATIONS_HELP)
  if (values.help) {
    process.stdout.write(VARIATIONS_HELP)
    return 0
  }
  const list = listVariations()
  if (values.json) {
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`)
    return 0
  }
  const width = Math.max(...list.map((v) => v.name.length))
  const pad = ' '.repeat(width + 2)
  for (const v of list) process.stdout.write(`${v.name.padEnd(width)}  ${v.api.padEnd(11)} ${v.description}\n${pad}allowed by: ${v.source}\n`)
  process.stdout.write(`\n${list.length} variations. Apply with: conform serve --vary NAME[,NAME…] or conform run --vary NAME[,NAME…]\n`)
  return 0
}

import { listDeviations } from '../../reference/index.ts'
import { serveReference } from '../../reference/serve.ts'
import { ConformError } from '../errors.ts'
import { integer, list, parse } from './args.ts'
import { SERVE_HELP } from './help.ts'

export default async function serve(args: string[]): Promise<number> {
  const { values } = parse(args, {
    port: { type: 'string' }, host: { type: 'string' }, db: { type: 'string' }, deviate: { type: 'string' },
    'print-control-key': { type: 'boolean' },
  }, SERVE_HELP)
  if (values.help) {
    process.stdout.write(SERVE_HELP)
    return 0
  }
  const deviations = list(values.deviate) ?? []
  const known = new Set(listDeviations().map((d) => d.name))
  for (const d of deviations) if (!known.has(d)) throw new ConformError('BAD_USAGE', 'spec', `unknown deviation "${d}" (see conform deviations)`)
  const running = await serveReference({
    port: integer(values.port, '--port') ?? 8080,
    host: values.host ?? '127.0.0.1',
    ...(values.db ? { dbFile: values.db } : {}),
    deviations,
    printControlKey: values['print-control-key'] ?? false,
  })
  await running.closed
  return 0
}

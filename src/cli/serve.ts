import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { loadProject } from '../project.ts'
import { embeddedApis } from '../../reference/index.ts'
import { seedAccounts, writeTargetConfig } from '../run/seed-accounts.ts'
import { ReferenceConfigError } from '../../reference/index.ts'
import { serveReference } from '../../reference/serve.ts'
import { ConformError } from '../errors.ts'
import { integer, list, parse } from './args.ts'
import { checkReferenceNames } from './reference-names.ts'
import { SERVE_HELP } from './help.ts'

function usage(message: string): ConformError {
  return new ConformError('BAD_USAGE', 'spec', `${message} (see conform serve --help)`)
}

function pemFile(flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (e) {
    throw usage(`${flag}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`)
  }
}

/** --tls-cert/--tls-key (HTTPS) and --client-ca (require client certificates), read from their files. */
function tlsOptions(values: { 'tls-cert'?: string; 'tls-key'?: string; 'client-ca'?: string }) {
  const { 'tls-cert': cert, 'tls-key': key, 'client-ca': clientCa } = values
  if (!cert && !key && !clientCa) return undefined
  if (!cert || !key) throw usage('--tls-cert and --tls-key go together')
  return { cert: pemFile('--tls-cert', cert), key: pemFile('--tls-key', key), ...(clientCa ? { clientCa: pemFile('--client-ca', clientCa) } : {}) }
}

export default async function serve(args: string[]): Promise<number> {
  const { values } = parse(
    args,
    {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      deviate: { type: 'string' },
      vary: { type: 'string' },
      'print-control-key': { type: 'boolean' },
      'write-config': { type: 'string' },
      target: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'client-ca': { type: 'string' },
    },
    SERVE_HELP,
  )
  if (values.help) {
    process.stdout.write(SERVE_HELP)
    return 0
  }
  const deviations = list(values.deviate) ?? []
  const variations = list(values.vary) ?? []
  checkReferenceNames({ deviations, variations })
  const tls = tlsOptions(values)
  let running: Awaited<ReturnType<typeof serveReference>>
  try {
    running = await serveReference({
      port: integer(values.port, '--port') ?? 8080,
      host: values.host ?? '127.0.0.1',
      ...(values.db ? { dbFile: values.db } : {}),
      deviations,
      variations,
      ...(tls ? { tls } : {}),
      ...(values.db ? { controlKey: stableControlKey(values.db) } : {}),
      printControlKey: values['print-control-key'] ?? false,
    })
  } catch (e) {
    if (e instanceof ReferenceConfigError && e.code === 'INVALID_OPTION') throw usage(e.message)
    throw e
  }
  if (values['write-config']) {
    const project = loadProject()
    const served = new Set(embeddedApis().map((a) => a.api))
    const apis = [...project.apis.keys()].filter((a) => served.has(a))
    const accounts = await seedAccounts(project, apis, { url: running.url, key: running.controlKey }, Date.now() % 2 ** 31).catch(async (e: unknown) => {
      await running.close()
      throw e
    })
    const target = values.target ?? 'local'
    const bases = Object.fromEntries(embeddedApis().map((a) => [a.api, `${running.url}${a.base ?? ''}`]))
    const written = writeTargetConfig(values['write-config'], target, bases, accounts, { url: running.url, key: running.controlKey })
    process.stdout.write(`  fixture accounts (${accounts.length}), their credentials in ${written.envFile}:\n`)
    for (const api of apis) {
      const mine = accounts.filter((a) => a.api === api)
      process.stdout.write(
        `    ${api}: ${[...new Set(mine.map((a) => `${a.role}${a.placement ? ` (${a.placement})` : ''}`))].map((r) => `${mine.filter((a) => `${a.role}${a.placement ? ` (${a.placement})` : ''}` === r).length}× ${r}`).join(', ')}\n`,
      )
    }
    process.stdout.write(
      `  target config: ${written.config}\n  run against it: npm run conform -- run --config ${written.config} --target ${target} --env-file ${written.envFile}\n`,
    )
  }
  await running.closed
  return 0
}

/** The control key of a database file: made once, kept beside it (mode 600), so that it holds across restarts. */
function stableControlKey(db: string): string {
  const file = `${db}.control-key`
  if (existsSync(file)) return readFileSync(file, 'utf8').trim()
  const key = randomBytes(16).toString('hex')
  writeFileSync(file, `${key}\n`, { mode: 0o600 })
  return key
}

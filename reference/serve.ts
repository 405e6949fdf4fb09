/**
 * `conform serve`: runs the reference standalone until SIGINT/SIGTERM. Prints where it listens and the API
 * paths; the control key only when asked (it guards user provisioning).
 */
import { embeddedApis, startReference, type ReferenceOptions, type RunningReference } from './index.ts'

export interface ServeOptions extends ReferenceOptions {
  /** Print the control key (header x-reference-control) to stdout. Default false. */
  printControlKey?: boolean
  /** Where lines go; default stdout. */
  log?: (line: string) => void
  /** Handle SIGINT/SIGTERM by closing. Default true. */
  handleSignals?: boolean
}

export interface ServingReference extends RunningReference {
  /** Resolves once the reference has closed (after close() or a signal). */
  readonly closed: Promise<void>
}

export async function serveReference(opts: ServeOptions = {}): Promise<ServingReference> {
  const { printControlKey = false, log = (line: string) => process.stdout.write(`${line}\n`), handleSignals = true, ...options } = opts
  const running = await startReference(options)

  let resolveClosed: () => void = () => {}
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve
  })
  const onSignal = (): void => {
    void close()
  }
  const close = async (): Promise<void> => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await running.close()
    resolveClosed()
  }
  if (handleSignals) {
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
  }

  log(`reference listening on ${running.url}`)
  for (const api of embeddedApis()) {
    for (const path of api.paths) log(`  ${api.title}: ${running.url}${path}${api.wsdl ? ` (WSDL: ${running.url}${path}?WSDL)` : ''}`)
  }
  log(`  control: ${running.url}/__reference/ (header x-reference-control); an API's users: GET ${running.url}/__reference/<api>/users`)
  if (options.tls) log(`  TLS: ${options.tls.clientCa ? 'client certificates required (issued by the --client-ca)' : 'server certificate only'}`)
  if (options.deviations !== undefined && options.deviations.length > 0) log(`  deviations: ${options.deviations.join(', ')}`)
  if (options.variations !== undefined && options.variations.length > 0) log(`  variations: ${options.variations.join(', ')}`)
  if (printControlKey) log(`  control key: ${running.controlKey}`)

  return { url: running.url, controlKey: running.controlKey, close, closed }
}

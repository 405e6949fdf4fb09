import type * as soap from 'soap'
import type { BindingName, ParamValue, WireAnswer, WireRequest } from '../bindings/types.ts'
import type { ApiDescription } from '../spec/model.ts'
import { ConformError } from '../errors.ts'
import { wsdlShapeOf } from './wsdl-shape-check.ts'
import { isNil } from '../yaml/source.ts'
import { nestParams } from '../spec/params.ts'
import type { Transport } from '../transport/index.ts'

type SoapCallback = (err: unknown, result: unknown, rawResponse: string, soapHeader: unknown, rawRequest: string) => void
type PortMethod = (args: Record<string, unknown>, cb: SoapCallback, options?: Record<string, unknown>) => void

/** The slice of an axios request config node-soap hands its `request` function. */
interface SoapHttpRequest {
  url: string
  method?: string
  headers?: Record<string, unknown>
  data?: unknown
  /** A call's own option (node-soap copies a call's options into its request): told when the request was on the wire. */
  onSent?: (sent: NonNullable<WireAnswer['sent']>) => void
}

interface SoapFault {
  response?: { status?: number; headers?: Record<string, unknown>; data?: unknown }
  body?: string
  message?: string
}

/** Where a binding's WSDL is: ASMX serves it at the service's path with `?WSDL`. */
export function wsdlUrlOf(baseUrl: string, api: ApiDescription, binding: BindingName): string {
  return `${baseUrl}${api.bindings[binding]?.path ?? ''}?WSDL`
}

/**
 * Calls an operation the way a client developer's generated proxy would: node-soap builds the client from
 * the target's own `?WSDL`, picks the SOAP 1.1 or 1.2 port, and sends the arguments by name. The raw answer
 * is handed back so the suite's decoders and expectations judge it like any other.
 * node-soap's own HTTP client (axios) is replaced by the run's transport, for the WSDL and every call: the
 * same deadline, size cap, TLS material, proxies and error mapping as the suite's own requests.
 */
export class GeneratedClients {
  private readonly clients = new Map<string, Promise<soap.Client>>()
  /** Each WSDL as node-soap fetched it, by URL: what the shape check reads. */
  private readonly wsdlTexts = new Map<string, string>()
  private readonly transport: Transport

  constructor(transport: Transport) {
    this.transport = transport
  }

  /** Stands in for the axios instance node-soap would use: same call shape, answers never rejected for status. */
  private readonly request = async (config: SoapHttpRequest) => {
    const headers = Object.fromEntries(
      Object.entries(config.headers ?? {})
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k.toLowerCase(), String(v)]),
    )
    const body =
      config.data === undefined || config.data === null
        ? undefined
        : typeof config.data === 'string'
          ? config.data
          : Buffer.from(config.data as Uint8Array).toString('utf8')
    const answer = await this.transport.send({
      method: (config.method ?? 'GET').toUpperCase() as WireRequest['method'],
      url: config.url,
      headers,
      ...(body !== undefined ? { body } : {}),
    })
    if (answer.sent) config.onSent?.(answer.sent)
    if (answer.status === 200 && body === undefined && /\?wsdl$/i.test(config.url)) this.wsdlTexts.set(config.url, answer.body)
    return { status: answer.status, statusText: '', headers: answer.headers, data: answer.body, config: { ...config, headers } }
  }

  private client(wsdlUrl: string, binding: BindingName): Promise<soap.Client> {
    const key = `${binding} ${wsdlUrl}`
    let c = this.clients.get(key)
    if (!c) {
      // node-soap (and the axios it brings: ~60 ms to load) on first use: runs without generated-client checks never need it.
      c = import('soap')
        .then(({ createClientAsync }) =>
          createClientAsync(wsdlUrl, {
            forceSoap12Headers: binding === 'soap12',
            // node-soap caches a parsed WSDL per URL, process-wide, and each client sets its SOAP version on that shared
            // object: without a WSDL of its own, the soap11 client sends SOAP 1.2 once a soap12 client exists.
            disableCache: true,
            request: this.request as unknown as NonNullable<soap.IOptions['request']>,
          }),
        )
        .catch((e: unknown) => {
          this.clients.delete(key)
          if (e instanceof ConformError) throw e
          throw new ConformError('WSDL_UNUSABLE', 'schema', `a generated client could not be built from ${wsdlUrl}: ${(e as Error).message}`)
        })
      this.clients.set(key, c)
    }
    return c
  }

  /**
   * Builds the client ahead of the checks, as a client developer's program would at its start (fetching and compiling
   * the WSDL costs more than the calls). A failure is left for the check that needs the client: it tries again and says why.
   */
  prepare(wsdlUrl: string, binding: BindingName): Promise<void> {
    return this.client(wsdlUrl, binding).then(
      () => undefined,
      () => undefined,
    )
  }

  /**
   * `api`: the operation's documented shape is compared with the WSDL first (wsdl-shape.ts); a member the WSDL lacks
   * or mistypes is WSDL_SHAPE, whether or not this call sends it.
   */
  async call(
    wsdlUrl: string,
    binding: BindingName,
    operation: string,
    params: ReadonlyArray<readonly [string, ParamValue]>,
    api?: ApiDescription,
  ): Promise<{ request: WireRequest; answer: WireAnswer }> {
    const client = await this.client(wsdlUrl, binding)
    const text = this.wsdlTexts.get(wsdlUrl)
    const shape = api && text !== undefined ? wsdlShapeOf(text, api, operation) : []
    if (shape.length) throw new ConformError('WSDL_SHAPE', 'schema', `the WSDL at ${wsdlUrl} does not describe ${operation} as documented: ${shape.join('; ')}`)
    const method = pickPort(client, binding, operation)
    if (!method) throw new ConformError('WSDL_NO_OPERATION', 'schema', `the WSDL at ${wsdlUrl} offers no ${operation} on a ${binding} port`)
    const declared = declaredInputs(client, operation)
    const undeclared = params.map(([name]) => name).filter((name) => declared && !declared.some((d) => d === name || d.startsWith(`${name}.`)))
    if (undeclared.length) {
      throw new ConformError(
        'WSDL_MISSING_PARAM',
        'schema',
        `the WSDL's ${operation} does not declare ${undeclared.join(', ')}: a generated client cannot send ${undeclared.length > 1 ? 'them' : 'it'} (declared: ${declared?.join(', ')})`,
      )
    }
    const args = nestParams(params.map(([k, v]) => [k, isNil(v) ? null : v]))
    // When the request was on the wire, as our transport saw it: not the wait for a request slot, nor node-soap's work.
    let sent: WireAnswer['sent']
    const outcome = await new Promise<{ err: unknown; raw: string; rawRequest: string }>((resolve) => {
      method(args, (err, _result, raw, _h, rawRequest) => resolve({ err, raw, rawRequest }), {
        onSent: (s: NonNullable<WireAnswer['sent']>) => {
          sent = s
        },
      })
    })
    const request: WireRequest = {
      method: 'POST',
      url: wsdlUrl.replace(/\?wsdl$/i, ''),
      headers: Object.fromEntries(Object.entries((client.lastRequestHeaders ?? {}) as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), String(v)])),
      body: outcome.rawRequest ?? client.lastRequest ?? '',
    }
    if (outcome.err instanceof ConformError) throw outcome.err
    if (outcome.err) {
      const fault = outcome.err as SoapFault
      if (!fault.response) throw new ConformError('TRANSPORT_FAILED', 'transport', `generated client: ${fault.message ?? 'request failed'}`)
      return {
        request,
        answer: {
          status: fault.response.status ?? 0,
          headers: lower(fault.response.headers),
          body: fault.body ?? String(fault.response.data ?? ''),
          ...(sent ? { sent } : {}),
        },
      }
    }
    return {
      request,
      answer: {
        status: 200,
        headers: lower(client.lastResponseHeaders as Record<string, unknown> | undefined),
        body: outcome.raw ?? '',
        ...(sent ? { sent } : {}),
      },
    }
  }
}

function lower(headers: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]))
}

/** The input parameters the WSDL declares for an operation (first port that has it), nested ones as dotted paths. */
function declaredInputs(client: soap.Client, operation: string): string[] | undefined {
  const described = describe(client) as Record<string, Record<string, Record<string, { input?: Record<string, unknown> }>>>
  for (const service of Object.values(described)) {
    for (const port of Object.values(service)) {
      const input = port[operation]?.input
      if (input) return leafPaths(input)
    }
  }
  return undefined
}

function leafPaths(described: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(described)
    .filter(([k]) => !k.startsWith('targetNS'))
    .flatMap(([k, v]) => (v && typeof v === 'object' ? leafPaths(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

const descriptions = new WeakMap<soap.Client, object>()

/** node-soap's description of a client's services, walked once per client (it walks the whole WSDL each time). */
function describe(client: soap.Client): object {
  let d = descriptions.get(client)
  if (!d) {
    d = client.describe() as object
    descriptions.set(client, d)
  }
  return d
}

/** ASMX names the SOAP 1.2 port `<Service>Soap12`; the 1.1 port is the other one. */
function pickPort(client: soap.Client, binding: BindingName, operation: string): PortMethod | undefined {
  const services = client as unknown as Record<string, Record<string, Record<string, PortMethod>>>
  for (const service of Object.keys(describe(client))) {
    for (const [portName, port] of Object.entries(services[service] ?? {})) {
      const is12 = /12$/.test(portName)
      if ((binding === 'soap12') === is12 && typeof port[operation] === 'function') return port[operation]!.bind(port)
    }
  }
  return undefined
}

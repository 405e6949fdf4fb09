import * as soap from 'soap'
import type { BindingName, ParamValue, WireAnswer, WireRequest } from '../bindings/types.ts'
import { ConformError } from '../errors.ts'
import { isNil } from '../yaml/source.ts'
import { nestParams } from '../spec/params.ts'

type SoapCallback = (err: unknown, result: unknown, rawResponse: string, soapHeader: unknown, rawRequest: string) => void
type PortMethod = (args: Record<string, unknown>, cb: SoapCallback, options?: Record<string, unknown>) => void

interface SoapFault {
  response?: { status?: number; headers?: Record<string, unknown>; data?: unknown }
  body?: string
  message?: string
}

/**
 * Calls an operation the way a client developer's generated proxy would: node-soap builds the client from
 * the target's own `?WSDL`, picks the SOAP 1.1 or 1.2 port, and sends the arguments by name. The raw answer
 * is handed back so the suite's decoders and expectations judge it like any other.
 */
export class GeneratedClients {
  private readonly clients = new Map<string, Promise<soap.Client>>()
  private readonly timeoutMs: number
  private readonly pace: () => Promise<void>

  /** `pace` is awaited before each request node-soap makes (the WSDL, each call), so the target's rate limit holds. */
  constructor(timeoutMs: number, pace: () => Promise<void> = async () => {}) {
    this.timeoutMs = timeoutMs
    this.pace = pace
  }

  private client(wsdlUrl: string, binding: BindingName): Promise<soap.Client> {
    const key = `${binding} ${wsdlUrl}`
    let c = this.clients.get(key)
    if (!c) {
      c = this.pace().then(() => soap.createClientAsync(wsdlUrl, {
        forceSoap12Headers: binding === 'soap12',
        // node-soap caches a parsed WSDL per URL, process-wide, and each client sets its SOAP version on that shared
        // object: without a WSDL of its own, the soap11 client sends SOAP 1.2 once a soap12 client exists.
        disableCache: true,
        wsdl_options: { timeout: this.timeoutMs },
      })).catch((e: unknown) => {
        this.clients.delete(key)
        throw new ConformError('WSDL_UNUSABLE', 'schema', `a generated client could not be built from ${wsdlUrl}: ${(e as Error).message}`)
      })
      this.clients.set(key, c)
    }
    return c
  }

  async call(wsdlUrl: string, binding: BindingName, operation: string, params: ReadonlyArray<readonly [string, ParamValue]>): Promise<{ request: WireRequest; answer: WireAnswer }> {
    const client = await this.client(wsdlUrl, binding)
    const method = pickPort(client, binding, operation)
    if (!method) throw new ConformError('WSDL_NO_OPERATION', 'schema', `the WSDL at ${wsdlUrl} offers no ${operation} on a ${binding} port`)
    const declared = declaredInputs(client, operation)
    const undeclared = params.map(([name]) => name).filter((name) => declared && !declared.some((d) => d === name || d.startsWith(`${name}.`)))
    if (undeclared.length) {
      throw new ConformError('WSDL_MISSING_PARAM', 'schema', `the WSDL's ${operation} does not declare ${undeclared.join(', ')}: a generated client cannot send ${undeclared.length > 1 ? 'them' : 'it'} (declared: ${declared?.join(', ')})`)
    }
    const args = nestParams(params.map(([k, v]) => [k, isNil(v) ? null : v]))
    await this.pace()
    const outcome = await new Promise<{ err: unknown; raw: string; rawRequest: string }>((resolve) => {
      method(args, (err, _result, raw, _h, rawRequest) => resolve({ err, raw, rawRequest }), { timeout: this.timeoutMs })
    })
    const request: WireRequest = {
      method: 'POST',
      url: wsdlUrl.replace(/\?wsdl$/i, ''),
      headers: Object.fromEntries(Object.entries((client.lastRequestHeaders ?? {}) as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), String(v)])),
      body: outcome.rawRequest ?? client.lastRequest ?? '',
    }
    if (outcome.err) {
      const fault = outcome.err as SoapFault
      if (!fault.response) throw new ConformError('TRANSPORT_FAILED', 'transport', `generated client: ${fault.message ?? 'request failed'}`)
      return { request, answer: { status: fault.response.status ?? 0, headers: lower(fault.response.headers), body: fault.body ?? String(fault.response.data ?? '') } }
    }
    return { request, answer: { status: 200, headers: lower(client.lastResponseHeaders as Record<string, unknown> | undefined), body: outcome.raw ?? '' } }
  }
}

function lower(headers: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]))
}

/** The input parameters the WSDL declares for an operation (first port that has it), nested ones as dotted paths. */
function declaredInputs(client: soap.Client, operation: string): string[] | undefined {
  const described = client.describe() as Record<string, Record<string, Record<string, { input?: Record<string, unknown> }>>>
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

/** ASMX names the SOAP 1.2 port `<Service>Soap12`; the 1.1 port is the other one. */
function pickPort(client: soap.Client, binding: BindingName, operation: string): PortMethod | undefined {
  const services = client as unknown as Record<string, Record<string, Record<string, PortMethod>>>
  for (const service of Object.keys(client.describe() as object)) {
    for (const [portName, port] of Object.entries(services[service] ?? {})) {
      const is12 = /12$/.test(portName)
      if ((binding === 'soap12') === is12 && typeof port[operation] === 'function') return port[operation]!.bind(port)
    }
  }
  return undefined
}

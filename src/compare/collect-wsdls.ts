import type { BindingName } from '../bindings/types.ts'
import { offeredBindings } from '../spec/offered.ts'
import type { Project } from '../project.ts'
import { startTarget } from '../run/resolve-target.ts'
import { Transport } from '../transport/index.ts'
import { networkFor } from '../net/network.ts'

export interface FetchedWsdl {
  api: string
  binding: BindingName
  url: string
  text?: string
  error?: string
}

const SOAP: BindingName[] = ['soap11', 'soap12']

/** Each SOAP API's WSDL (`<endpoint>?WSDL`) as the target serves it; the reference is started for the purpose. */
export async function collectWsdls(project: Project, targetName: string, deviations: string[], apis?: string[]): Promise<FetchedWsdl[]> {
  const started = await startTarget(project, targetName, deviations)
  const transport = new Transport({ ...started.target.limits, connections: 2 }, undefined, networkFor(started.target))
  try {
    const out: FetchedWsdl[] = []
    for (const [apiName, t] of Object.entries(started.target.apis)) {
      const api = project.apis.get(apiName)
      if (!api || (apis && !apis.includes(apiName))) continue
      // One WSDL per endpoint: both SOAP versions of an ASMX service share it.
      const offered = offeredBindings(api, undefined, t.bindings)
      const binding = SOAP.find((b) => offered.includes(b))
      if (!binding) continue
      const url = `${t.baseUrl}${api.bindings[binding]?.path ?? ''}?WSDL`
      try {
        const answer = await transport.send({ method: 'GET', url, headers: {} })
        out.push(answer.status === 200 ? { api: apiName, binding, url, text: answer.body } : { api: apiName, binding, url, error: `HTTP ${answer.status}` })
      } catch (e) {
        out.push({ api: apiName, binding, url, error: (e as Error).message })
      }
    }
    return out
  } finally {
    await transport.close()
    await started.stop()
  }
}

/**
 * SOAP header blocks as ASMX's SoapHeaderHandling treats them on the server. A block the operation maps (a
 * [SoapHeader] member: `OperationSpec.soapHeaders`, in the service namespace) is understood; any other is a
 * SoapUnknownHeader, and if it is marked mustUnderstand the call ends in a MustUnderstand fault before the method runs
 * ("SOAP header X was not understood.", X its local name; the first such block in document order).
 *
 * As in SoapUnknownHeader.InternalMustUnderstand, the attribute is looked up in the SOAP 1.1 namespace, then in the
 * SOAP 1.2 one, whatever the envelope's version; `1` and `true` mark it, anything else does not. ASMX never looks at
 * `actor` (1.1) or `role` (1.2): it behaves as every actor and role, so a block addressed to another node still
 * has to be understood (SOAP 1.1 §4.2.2 and SOAP 1.2 part 1 §5.2.2 would let the service skip it; ASMX does not).
 */
import { childElements, type XNode } from './soap-reader.ts'
import { SOAP11_NS, SOAP12_NS, type SoapFault } from './soap-writer.ts'
import type { OperationSpec } from './types.ts'

function mustUnderstand(block: XNode): boolean {
  const value =
    block.attrs.find((a) => a.local === 'mustUnderstand' && a.ns === SOAP11_NS) ?? block.attrs.find((a) => a.local === 'mustUnderstand' && a.ns === SOAP12_NS)
  return value?.value === '1' || value?.value === 'true'
}

/** The MustUnderstand fault for the request's `<Header>` (undefined: no header, or every marked block understood). */
export function headerFault(header: XNode | undefined, op: OperationSpec, serviceNamespace: string): SoapFault | undefined {
  if (header === undefined) return undefined
  const understood = (block: XNode): boolean => block.ns === serviceNamespace && (op.soapHeaders ?? []).includes(block.local)
  const block = childElements(header).find((b) => mustUnderstand(b) && !understood(b))
  return block === undefined ? undefined : { code: 'MustUnderstand', reason: `SOAP header ${block.local} was not understood.`, status: 500, header: true }
}

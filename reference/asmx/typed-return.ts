/**
 * XmlReturnWriter's root for a typed result (HttpGet/HttpPost answers): XmlSerializer writes the value as a
 * document of its own, the root named after the type (`<boolean>`, `<int>`, `<string>`, `<UserIDInfo>`) in the
 * service namespace; a complex value also declares xsd and xsi (in the order a live ASMX service wrote them,
 * api-facts §5.4). The handler's `<OpResult>` element gives the content.
 */
import { schemaTypeOf, type ServiceSpec, type XsdType } from './types.ts'
import type { XmlElement } from './xml.ts'

const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance'
const XSD_NS = 'http://www.w3.org/2001/XMLSchema'

/** The root element name XmlSerializer gives a value of `type` (`s:boolean` → `boolean`, `tns:UserIDInfo` → `UserIDInfo`). */
export const typeRootName = (type: XsdType): string => type.slice(type.indexOf(':') + 1)

export function typedReturnRoot(service: ServiceSpec, type: XsdType, result: XmlElement): XmlElement {
  const complex = schemaTypeOf(service, type)?.kind === 'complex' || schemaTypeOf(service, type)?.kind === 'array'
  const xmlns: ReadonlyArray<readonly [string, string]> = complex
    ? [
        ['xmlns:xsd', XSD_NS],
        ['xmlns:xsi', XSI_NS],
        ['xmlns', service.namespace],
      ]
    : [['xmlns', service.namespace]]
  return { ...result, name: typeRootName(type), attrs: [...xmlns, ...result.attrs] }
}

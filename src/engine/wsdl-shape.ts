/**
 * Pure. Is one operation described by the target's WSDL as its pages document it? The documented shape
 * (documented-shape.ts) is walked member by member against the WSDL's facts (src/compare/wsdl.ts): the request
 * element `<Op>` and the answer `<Op>Response/<Op>Result`, every documented member present, each of the XSD type the
 * pages give it, each documented enumeration value allowed. A WSDL may declare more (members, values, operations):
 * only what a client generated from it would lack or mistype is a problem. Every problem begins with WSDL_SHAPE.
 */
import type { WsdlFacts } from '../compare/wsdl.ts'
import type { OperationShape, Shape } from './documented-shape.ts'

export const WSDL_SHAPE = 'WSDL_SHAPE'

const XSD_NS = 'http://www.w3.org/2001/XMLSchema'

/** XSD types a client may read a documented type as: an int declared long or integer still holds every int. */
const COMPATIBLE: Record<string, readonly string[]> = {
  int: ['int', 'long', 'integer'],
  boolean: ['boolean'],
  dateTime: ['dateTime'],
  string: ['string'],
}

/** Where a member's own members are declared: an owner key of the facts, or the simple type it names. */
type Resolved =
  | { readonly kind: 'owner'; readonly key: string }
  | { readonly kind: 'builtin'; readonly local: string }
  | { readonly kind: 'simpleType'; readonly name: string; readonly base: string }
  | { readonly kind: 'unknown'; readonly type: string }

const local = (qname: string): string => qname.replace(/^\{[^}]*\}/, '')
const nsOf = (qname: string): string => /^\{([^}]*)\}/.exec(qname)?.[1] ?? ''

function resolve(facts: WsdlFacts, owner: string, member: string): Resolved | undefined {
  const type = facts.get(`${owner}/${member} type`)
  if (type === undefined) return undefined
  // No type attribute: the member's complex type is declared inline, its members under the member's own key.
  if (type === '') return { kind: 'owner', key: `${owner}/${member}` }
  if (nsOf(type) === XSD_NS) return { kind: 'builtin', local: local(type) }
  const named = facts.get(`type ${local(type)}`)
  if (named === 'complex') return { kind: 'owner', key: `type ${local(type)}` }
  if (named !== undefined) return { kind: 'simpleType', name: local(type), base: named }
  return { kind: 'unknown', type }
}

function describe(r: Resolved): string {
  switch (r.kind) {
    case 'owner':
      return 'a complex type'
    case 'builtin':
      return `xs:${r.local}`
    case 'simpleType':
      return `${r.name} (a restriction of xs:${local(r.base)})`
    case 'unknown':
      return `${r.type}, which the WSDL does not declare`
  }
}

function compare(facts: WsdlFacts, owner: string, path: string, shape: Shape, problems: string[], depth: number): void {
  if (shape.kind !== 'complex' || depth > 20) return
  const sequence = facts.get(`${owner} sequence`)
  for (const [name, member] of shape.members) {
    const at = `${path}/${name}`
    const r = resolve(facts, owner, name)
    if (r === undefined) {
      problems.push(
        `${WSDL_SHAPE} ${at}: the WSDL declares no ${name} member${sequence !== undefined ? ` (it declares: ${sequence || 'none'})` : ''}; a generated client cannot ${path.endsWith('Result') || path.includes('Response') ? 'read' : 'send'} it`,
      )
      continue
    }
    if (member.kind === 'any') continue
    if (member.kind === 'complex') {
      if (r.kind !== 'owner')
        problems.push(`${WSDL_SHAPE} ${at}: documented as a structure of ${member.members.map(([n]) => n).join(', ')}, the WSDL types it ${describe(r)}`)
      else compare(facts, r.key, at, member, problems, depth + 1)
      continue
    }
    if (member.kind === 'simple') {
      const ok = r.kind === 'builtin' && (COMPATIBLE[member.xsd] ?? [member.xsd]).includes(r.local)
      if (!ok) problems.push(`${WSDL_SHAPE} ${at}: documented as xs:${member.xsd}, the WSDL types it ${describe(r)}`)
      continue
    }
    // An enumeration: a string restriction allowing every documented value (a plain xs:string allows them all too).
    if (r.kind === 'builtin' && r.local === 'string') continue
    if (r.kind !== 'simpleType' || local(r.base) !== 'string') {
      problems.push(`${WSDL_SHAPE} ${at}: documented as one of ${member.values.join(', ')}, the WSDL types it ${describe(r)}`)
      continue
    }
    const missing = member.values.filter((v) => facts.get(`type ${r.name} value ${v}`) === undefined)
    if (missing.length)
      problems.push(
        `${WSDL_SHAPE} ${at}: the WSDL's ${r.name} does not allow ${missing.join(', ')}; a generated client cannot read ${missing.length > 1 ? 'them' : 'it'}`,
      )
  }
}

/** Every way the WSDL's description of `operation` falls short of its documented shape (empty: none). */
export function wsdlShapeProblems(facts: WsdlFacts, namespace: string, operation: string, shape: OperationShape): string[] {
  const problems: string[] = []
  const tns = facts.get('targetNamespace')
  if (tns !== namespace) problems.push(`${WSDL_SHAPE} targetNamespace: documented ${namespace}, the WSDL says ${tns || 'none'}`)
  if (facts.get(`element ${operation}`) === undefined) {
    problems.push(`${WSDL_SHAPE} ${operation}: the WSDL declares no ${operation} request element`)
  } else {
    compare(facts, `element ${operation}`, operation, shape.request, problems, 0)
  }
  const response = `element ${operation}Response`
  if (facts.get(response) === undefined) {
    problems.push(`${WSDL_SHAPE} ${operation}Response: the WSDL declares no ${operation}Response element`)
  } else {
    compare(facts, response, `${operation}Response`, { kind: 'complex', members: [[`${operation}Result`, shape.result]] }, problems, 0)
  }
  return problems
}

import { attribute, childElements, parseXml, XMLNS_URI, type XmlElement } from '../xml/tree.ts'

/**
 * Pure. WSDL drift: what a client generated from the baseline's WSDL would notice against the candidate's.
 * A WSDL becomes a flat set of facts (`operation UserUpdate input` → `{ns}UserUpdate`); the facts are diffed
 * and each change is explained and rated.
 */

const WSDL = 'http://schemas.xmlsoap.org/wsdl/'
const XSD = 'http://www.w3.org/2001/XMLSchema'
const SOAP_VERSIONS: Record<string, string> = { 'http://schemas.xmlsoap.org/wsdl/soap/': 'soap11', 'http://schemas.xmlsoap.org/wsdl/soap12/': 'soap12' }

export type WsdlFacts = Map<string, string>

export interface WsdlChange {
  severity: 'breaking' | 'notice'
  fact: string
  baseline?: string
  candidate?: string
  /** What a generated client would notice. */
  effect: string
}

type Scope = Map<string, string>

function scopeOf(el: XmlElement, parent: Scope): Scope {
  const decls = el.attributes.filter((a) => a.uri === XMLNS_URI)
  if (decls.length === 0) return parent
  const scope = new Map(parent)
  for (const a of decls) scope.set(a.local === 'xmlns' ? '' : a.local, a.value)
  return scope
}

/** `s:int` → `{http://www.w3.org/2001/XMLSchema}int`. */
function qname(value: string | undefined, scope: Scope): string {
  if (!value) return ''
  const [prefix, local] = value.includes(':') ? (value.split(':', 2) as [string, string]) : ['', value]
  return `{${scope.get(prefix) ?? prefix}}${local}`
}

const kids = (el: XmlElement, uri: string, local?: string) => childElements(el).filter((c) => c.uri === uri && (!local || c.local === local))

export function wsdlFacts(text: string): WsdlFacts {
  const facts: WsdlFacts = new Map()
  const root = parseXml(text)
  const rootScope = scopeOf(root, new Map())
  facts.set('targetNamespace', attribute(root, 'targetNamespace') ?? '')
  const walkSequence = (owner: string, complex: XmlElement, scope: Scope) => {
    for (const seq of kids(complex, XSD, 'sequence')) {
      const members = kids(seq, XSD, 'element')
      facts.set(`${owner} sequence`, members.map((m) => attribute(m, 'name') ?? attribute(m, 'ref') ?? '').join(', '))
      for (const m of members) {
        const s = scopeOf(m, scope)
        const name = `${owner}/${attribute(m, 'name') ?? attribute(m, 'ref')}`
        facts.set(`${name} type`, qname(attribute(m, 'type') ?? attribute(m, 'ref'), s))
        facts.set(`${name} occurs`, `${attribute(m, 'minOccurs') ?? '1'}..${attribute(m, 'maxOccurs') ?? '1'}`)
        if (attribute(m, 'nillable') === 'true') facts.set(`${name} nillable`, 'true')
        for (const inner of kids(m, XSD, 'complexType')) walkSequence(name, inner, s)
      }
    }
  }
  for (const types of kids(root, WSDL, 'types')) {
    for (const schema of kids(types, XSD, 'schema')) {
      const scope = scopeOf(schema, scopeOf(types, rootScope))
      const ns = attribute(schema, 'targetNamespace') ?? ''
      facts.set(`schema {${ns}} elementFormDefault`, attribute(schema, 'elementFormDefault') ?? 'unqualified')
      for (const el of kids(schema, XSD, 'element')) {
        const owner = `element ${attribute(el, 'name')}`
        facts.set(owner, attribute(el, 'type') ? qname(attribute(el, 'type'), scope) : 'complex')
        for (const complex of kids(el, XSD, 'complexType')) walkSequence(owner, complex, scope)
      }
      for (const complex of kids(schema, XSD, 'complexType')) {
        const owner = `type ${attribute(complex, 'name')}`
        facts.set(owner, 'complex')
        walkSequence(owner, complex, scope)
      }
      for (const simple of kids(schema, XSD, 'simpleType')) {
        const owner = `type ${attribute(simple, 'name')}`
        for (const r of kids(simple, XSD, 'restriction')) {
          facts.set(owner, qname(attribute(r, 'base'), scope))
          for (const e of kids(r, XSD, 'enumeration')) facts.set(`${owner} value ${attribute(e, 'value')}`, 'allowed')
        }
      }
    }
  }
  const messages = new Map<string, string>()
  for (const m of kids(root, WSDL, 'message')) {
    const part = kids(m, WSDL, 'part')[0]
    messages.set(attribute(m, 'name') ?? '', part ? qname(attribute(part, 'element') ?? attribute(part, 'type'), scopeOf(part, scopeOf(m, rootScope))) : '')
  }
  const messageOf = (el: XmlElement | undefined) => (el ? (messages.get(qname(attribute(el, 'message'), rootScope).replace(/^\{[^}]*\}/, '')) ?? '') : '')
  for (const pt of kids(root, WSDL, 'portType')) {
    for (const op of kids(pt, WSDL, 'operation')) {
      const name = `operation ${attribute(op, 'name')}`
      facts.set(`${name} input`, messageOf(kids(op, WSDL, 'input')[0]))
      facts.set(`${name} output`, messageOf(kids(op, WSDL, 'output')[0]))
    }
  }
  for (const b of kids(root, WSDL, 'binding')) {
    const version = childElements(b)
      .map((c) => SOAP_VERSIONS[c.uri])
      .find(Boolean)
    if (!version) continue
    for (const op of kids(b, WSDL, 'operation')) {
      const soapOp = childElements(op).find((c) => SOAP_VERSIONS[c.uri] && c.local === 'operation')
      if (!soapOp) continue
      const name = `${version} ${attribute(op, 'name')}`
      facts.set(`${name} soapAction`, attribute(soapOp, 'soapAction') ?? '')
      facts.set(`${name} style`, attribute(soapOp, 'style') ?? 'document')
    }
  }
  for (const service of kids(root, WSDL, 'service')) {
    for (const port of kids(service, WSDL, 'port')) {
      const address = childElements(port).find((c) => SOAP_VERSIONS[c.uri] && c.local === 'address')
      const version = address && SOAP_VERSIONS[address.uri]
      if (!version) continue
      try {
        facts.set(`${version} endpoint path`, new URL(attribute(address, 'location') ?? '').pathname)
      } catch {
        facts.set(`${version} endpoint path`, attribute(address, 'location') ?? '')
      }
    }
  }
  return facts
}

/** Why a change matters to a client generated from the baseline's WSDL, and whether it breaks it. */
function explain(
  fact: string,
  baseline: string | undefined,
  candidate: string | undefined,
  requests: Set<string>,
): Omit<WsdlChange, 'fact' | 'baseline' | 'candidate'> {
  const removed = candidate === undefined
  const added = baseline === undefined
  const owner = fact.match(/^element ([^/ ]+)/)?.[1]
  const inRequest = owner !== undefined && requests.has(owner)
  if (fact === 'targetNamespace')
    return { severity: 'breaking', effect: 'every element is in another namespace: requests of a generated client are not recognised' }
  if (/^operation \S+ input$/.test(fact)) {
    if (removed) return { severity: 'breaking', effect: 'the operation is gone: its generated method fails' }
    if (added) return { severity: 'notice', effect: 'a new operation: a regenerated client gains a method' }
    return { severity: 'breaking', effect: 'the operation takes another request element' }
  }
  if (/^operation \S+ output$/.test(fact))
    return {
      severity: removed || added ? 'notice' : 'breaking',
      effect: removed || added ? 'follows the operation' : 'the operation answers another element: the generated client cannot read it',
    }
  if (/ soapAction$/.test(fact)) return { severity: 'breaking', effect: 'ASMX routes on SOAPAction: the generated client sends the old one and is refused' }
  if (/ style$/.test(fact)) return { severity: 'breaking', effect: 'another SOAP style: the envelope body is laid out differently' }
  if (/ endpoint path$/.test(fact)) return { severity: 'notice', effect: 'the service moved: clients must be configured with the new address' }
  if (/elementFormDefault$/.test(fact)) return { severity: 'breaking', effect: 'child elements change namespace qualification' }
  if (/ value /.test(fact)) {
    return removed
      ? { severity: 'breaking', effect: 'an enumeration value is gone: a client that sends it is refused' }
      : { severity: 'breaking', effect: 'a new enumeration value: a client generated earlier fails to read an answer that carries it' }
  }
  if (/ sequence$/.test(fact)) {
    const [b, c] = [(baseline ?? '').split(', '), (candidate ?? '').split(', ')]
    const common = (xs: string[], ys: string[]) => xs.filter((x) => ys.includes(x)).join(', ')
    return common(b, c) === common(c, b)
      ? { severity: 'notice', effect: 'members added or removed, the others in the same order (see the members)' }
      : { severity: 'breaking', effect: 'members moved: XmlSerializer-style readers and writers keep the declared order' }
  }
  if (/ occurs$/.test(fact)) {
    const min = (v?: string) => Number(v?.split('..')[0] ?? 0)
    if (added)
      return inRequest && min(candidate) > 0
        ? { severity: 'breaking', effect: 'a new required member: old clients do not send it' }
        : { severity: 'notice', effect: 'a new optional member' }
    if (removed)
      return { severity: 'breaking', effect: inRequest ? 'a member is gone: old clients still send it' : 'a member is gone: old clients read it as missing' }
    return { severity: min(candidate) > min(baseline) ? 'breaking' : 'notice', effect: 'the member is required differently' }
  }
  if (/ type$/.test(fact)) {
    if (added || removed) return { severity: added ? 'notice' : 'breaking', effect: added ? 'a new member' : 'a member is gone' }
    return { severity: 'breaking', effect: 'the member has another type: generated code (de)serialises it differently' }
  }
  if (/ nillable$/.test(fact)) return { severity: 'notice', effect: 'nil is allowed differently' }
  if (removed) return { severity: 'breaking', effect: 'a declaration is gone' }
  if (added) return { severity: 'notice', effect: 'a new declaration' }
  return { severity: 'breaking', effect: 'the declaration changed' }
}

export function wsdlDrift(baseline: WsdlFacts, candidate: WsdlFacts): WsdlChange[] {
  const requests = new Set([...baseline].filter(([k]) => / input$/.test(k)).map(([, v]) => v.replace(/^\{[^}]*\}/, '')))
  const changes: WsdlChange[] = []
  for (const fact of [...new Set([...baseline.keys(), ...candidate.keys()])].sort()) {
    const [b, c] = [baseline.get(fact), candidate.get(fact)]
    if (b === c) continue
    // A whole new or removed operation is one change, not one per member.
    changes.push({ fact, ...(b !== undefined ? { baseline: b } : {}), ...(c !== undefined ? { candidate: c } : {}), ...explain(fact, b, c, requests) })
  }
  return changes
}

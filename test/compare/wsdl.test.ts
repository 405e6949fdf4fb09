import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { wsdlDrift, wsdlFacts } from '../../src/compare/wsdl.ts'
import { startReference, type RunningReference } from '../../reference/index.ts'

let ref: RunningReference
let ecgridos: string
let logicmelon: string
beforeAll(async () => {
  ref = await startReference()
  ecgridos = await (await fetch(`${ref.url}/v4.1/prod/ECGridOS.asmx?WSDL`)).text()
  logicmelon = await (await fetch(`${ref.url}/json/Administration.asmx?WSDL`)).text()
})
afterAll(() => ref.close())

const drift = (mutate: (w: string) => string, base = () => ecgridos) => wsdlDrift(wsdlFacts(base()), wsdlFacts(mutate(base())))
const summary = (changes: ReturnType<typeof wsdlDrift>) => changes.map((c) => `${c.severity} ${c.fact}: ${c.baseline ?? '—'} → ${c.candidate ?? '—'}`)

describe('WSDL drift', () => {
  test('a WSDL has no drift against itself, whoever serves it', () => {
    expect(drift((w) => w)).toEqual([])
    expect(
      drift(
        (w) => w,
        () => logicmelon,
      ),
    ).toEqual([])
    expect(drift((w) => w.replaceAll(ref.url, 'https://other.example.com'))).toEqual([])
  })

  test('the facts name operations, members with types and occurrence, SOAPActions and enumerations', () => {
    const facts = wsdlFacts(ecgridos)
    expect(facts.get('targetNamespace')).toBe('http://www.ecgridos.net/')
    expect(facts.get('operation UserUpdate input')).toBe('{http://www.ecgridos.net/}UserUpdate')
    expect(facts.get('element UserUpdate/UserID type')).toBe('{http://www.w3.org/2001/XMLSchema}int')
    expect(facts.get('element UserUpdate/UserID occurs')).toBe('1..1')
    expect(facts.get('soap12 UserUpdate soapAction')).toBe('http://www.ecgridos.net/UserUpdate')
    expect(facts.get('type AuthLevel value Root')).toBe('allowed')
    expect(facts.get('type UserIDInfo sequence')).toBe('UserID, Login, Email, FirstName, LastName, NetworkID, MailboxID, AuthLevel, Status, Created')
  })

  test('another namespace breaks every generated client', () => {
    const changes = drift((w) => w.replaceAll('http://www.ecgridos.net/', 'https://os.ecgrid.io/'))
    expect(changes.find((c) => c.fact === 'targetNamespace')).toMatchObject({
      severity: 'breaking',
      baseline: 'http://www.ecgridos.net/',
      candidate: 'https://os.ecgrid.io/',
    })
    expect(changes.filter((c) => c.fact.endsWith('soapAction')).every((c) => c.severity === 'breaking')).toBe(true)
  })

  test('a member of a request that changes type, or a new required one, breaks; a new optional answer member is a notice', () => {
    const changes = drift((w) =>
      w
        .replace(
          /(<s:element name="UserUpdate">[\s\S]*?)name="UserID" type="s:int" \/>/,
          '$1name="UserID" type="s:long" /><s:element minOccurs="1" maxOccurs="1" name="Locale" type="s:string" />',
        )
        .replace(
          /(<s:complexType name="UserIDInfo">[\s\S]*?name="Created" type="s:dateTime" \/>)/,
          '$1<s:element minOccurs="0" maxOccurs="1" name="Phone" type="s:string" />',
        ),
    )
    expect(summary(changes)).toEqual(
      expect.arrayContaining([
        'breaking element UserUpdate/UserID type: {http://www.w3.org/2001/XMLSchema}int → {http://www.w3.org/2001/XMLSchema}long',
        'breaking element UserUpdate/Locale occurs: — → 1..1',
        'notice type UserIDInfo/Phone occurs: — → 0..1',
      ]),
    )
    expect(changes.find((c) => c.fact === 'type UserIDInfo sequence')?.severity).toBe('notice')
    const moved = drift((w) =>
      w.replace(
        /name="FirstName" type="s:string" \/>(\s*)(<s:element minOccurs="0" maxOccurs="1" name="LastName" type="s:string" \/>)/,
        'name="LastName" type="s:string" />$1<s:element minOccurs="0" maxOccurs="1" name="FirstName" type="s:string" />',
      ),
    )
    expect(moved.find((c) => c.fact === 'element UserUpdate sequence')).toMatchObject({ severity: 'breaking', effect: expect.stringMatching(/moved/) })
  })

  test('a removed operation breaks, an added one is a notice; a changed SOAPAction breaks', () => {
    const removed = drift((w) => w.replace(/<wsdl:operation name="Logout">[\s\S]*?<\/wsdl:operation>/g, ''))
    expect(removed.find((c) => c.fact === 'operation Logout input')).toMatchObject({ severity: 'breaking', effect: expect.stringMatching(/gone/) })
    const added = wsdlDrift(wsdlFacts(ecgridos.replace(/<wsdl:operation name="Logout">[\s\S]*?<\/wsdl:operation>/g, '')), wsdlFacts(ecgridos))
    expect(added.find((c) => c.fact === 'operation Logout input')?.severity).toBe('notice')
    const action = drift((w) => w.replace('soapAction="http://www.ecgridos.net/UserUpdate"', 'soapAction="http://www.ecgridos.net/UpdateUser"'))
    expect(summary(action)).toEqual(['breaking soap11 UserUpdate soapAction: http://www.ecgridos.net/UserUpdate → http://www.ecgridos.net/UpdateUser'])
  })

  test('an enumeration value gone or added breaks clients generated from the other', () => {
    const changes = drift((w) => w.replace('<s:enumeration value="TechOps" />', '<s:enumeration value="TechOperations" />'))
    expect(summary(changes)).toEqual(['breaking type AuthLevel value TechOperations: — → allowed', 'breaking type AuthLevel value TechOps: allowed → —'])
  })
})

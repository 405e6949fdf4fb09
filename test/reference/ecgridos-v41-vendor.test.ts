/**
 * The reference's live ECGridOS profile against the vendor's own artefact: test/fixtures/vendor/ecgridos-v4.1-users.wsdl,
 * the user operations of the WSDL Loren Data publishes for https://os.ecgrid.io/v4.1/prod/ECGridOS.asmx (its header
 * names the source). A node-soap client generated from that file, not from the reference, logs in, reads and updates
 * a user over SOAP 1.1 and 1.2; and the WSDL diff `conform compare` uses finds no client-visible difference between
 * the vendor's WSDL and the reference's.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import * as soap from 'soap'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CONTROL_HEADER, startReference, type RunningReference } from '../../reference/index.ts'
import { PROJECT_ROOT } from '../../src/paths.ts'
import { wsdlDrift, wsdlFacts, type WsdlChange } from '../../src/compare/wsdl.ts'

const VENDOR_WSDL = resolve(PROJECT_ROOT, 'test/fixtures/vendor/ecgridos-v4.1-users.wsdl')
const LIVE = '/live/v4.1/prod/ECGridOS.asmx'

type Callback = (err: unknown, result: unknown) => void
type PortMethod = (args: Record<string, unknown>, cb: Callback) => void

interface Provisioned {
  login: string
  password: string
  userId: string
  apiKey: string
}

let ref: RunningReference
let counter = 0

async function provision(role: string, extra: Record<string, string> = {}): Promise<Provisioned> {
  const login = `vendor${++counter}`
  const password = `Pw-${counter}-secret!`
  const body = {
    login,
    password,
    role,
    group: 'vendor',
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: `${login}@example.com`,
    company: 'Analytical',
    phone: '555 0100',
    cellPhone: '555 0199',
    cellCarrier: 'Verizon',
    ...extra,
  }
  const r = await fetch(`${ref.url}/__reference/ecgridos-v41/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CONTROL_HEADER]: ref.controlKey },
    body: JSON.stringify(body),
  })
  expect(r.status).toBe(201)
  const made = (await r.json()) as Record<string, string>
  return { login, password, userId: made.userId!, apiKey: made.apiKey! }
}

/** A client generated from the vendor's file, pointed at the reference (the file's address is the vendor's host). */
async function vendorClient(version: '1.1' | '1.2'): Promise<soap.Client> {
  const client = await soap.createClientAsync(VENDOR_WSDL, version === '1.2' ? { forceSoap12Headers: true } : {})
  client.setEndpoint(`${ref.url}${LIVE}`)
  return client
}

function call(client: soap.Client, version: '1.1' | '1.2', op: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
  const service = (client as unknown as Record<string, Record<string, Record<string, PortMethod>>>).ECGridOS_x0020_API_x0020_v4
  const port = version === '1.2' ? 'ECGridOS_x0020_API_x0020_v4Soap12' : 'ECGridOS_x0020_API_x0020_v4Soap'
  const method = service?.[port]?.[op]
  if (method === undefined) throw new Error(`the vendor's WSDL has no ${port}.${op}`)
  return new Promise((done, fail) => method(args, (err, result) => (err ? fail(err) : done(result as Record<string, unknown>))))
}

beforeAll(async () => {
  ref = await startReference()
})
afterAll(async () => {
  await ref.close()
})

describe("a client generated from the vendor's WSDL drives the reference's live profile", () => {
  test("the vendor file declares the four operations with the live service's names (the fixture is what we think it is)", async () => {
    const client = await vendorClient('1.1')
    const described = client.describe() as Record<string, Record<string, Record<string, { input: Record<string, unknown> }>>>
    const port = described.ECGridOS_x0020_API_x0020_v4?.ECGridOS_x0020_API_x0020_v4Soap ?? {}
    expect(Object.keys(port).sort()).toEqual(['Login', 'Logout', 'UserInfo', 'UserUpdate'])
    expect(Object.keys(port.UserUpdate?.input ?? {})).toEqual([
      'SessionID',
      'UserID',
      'FirstName',
      'LastName',
      'Company',
      'EMail',
      'Phone',
      'CellPhone',
      'CellCarrier',
      'AuthLevel',
    ])
  })

  for (const version of ['1.1', '1.2'] as const) {
    test(`SOAP ${version}: Login, UserInfo, UserUpdate ("[Default]" and NoChange kept), UserInfo again, Logout`, async () => {
      const jane = await provision('MailboxUser')
      const client = await vendorClient(version)
      const login = await call(client, version, 'Login', { LoginName: jane.login, Password: jane.password })
      const session = String(login.LoginResult)
      expect(session).toMatch(/^[0-9a-f-]{36}$/i)
      expect(client.lastRequest).toContain(version === '1.2' ? 'http://www.w3.org/2003/05/soap-envelope' : 'http://schemas.xmlsoap.org/soap/envelope/')

      const before = (await call(client, version, 'UserInfo', { SessionID: session, UserID: Number(jane.userId) })).UserInfoResult as Record<string, unknown>
      expect(before).toMatchObject({
        LoginName: jane.login,
        FirstName: 'Ada',
        Company: 'Analytical',
        CellCarrier: 'Verizon',
        AuthLevel: 'MailboxUser',
        LockedOut: false,
      })
      expect(Object.keys(before)).toHaveLength(20)

      const updated = await call(client, version, 'UserUpdate', {
        SessionID: session,
        UserID: Number(jane.userId),
        FirstName: 'Augusta',
        LastName: '[Default]',
        Company: '[Default]',
        EMail: `augusta.${version.replace('.', '')}@example.com`,
        Phone: '[Default]',
        CellPhone: '555 0123',
        CellCarrier: 'NoChange',
        AuthLevel: 'NoChange',
      })
      expect(updated).toEqual({ UserUpdateResult: true })

      const after = (await call(client, version, 'UserInfo', { SessionID: session, UserID: Number(jane.userId) })).UserInfoResult as Record<string, unknown>
      expect(after).toMatchObject({
        FirstName: 'Augusta',
        LastName: 'Lovelace',
        Company: 'Analytical',
        EMail: `augusta.${version.replace('.', '')}@example.com`,
        Phone: '555 0100',
        CellPhone: '555 0123',
        CellCarrier: 'Verizon',
        AuthLevel: 'MailboxUser',
      })
      expect(await call(client, version, 'Logout', { SessionID: session })).toEqual({ LogoutResult: 0 })
    })
  }

  test("an ECGridOS fault reaches the generated client with the vendor SDK's four detail children", async () => {
    const client = await vendorClient('1.1')
    const error = await call(client, '1.1', 'UserInfo', { SessionID: '00000000-0000-0000-0000-000000000000', UserID: 1 }).catch((e: unknown) => e)
    const fault = (error as { root?: { Envelope?: { Body?: { Fault?: { detail?: Record<string, unknown> } } } } }).root?.Envelope?.Body?.Fault
    expect(Object.keys(fault?.detail ?? {})).toEqual(['ErrorCode', 'ErrorString', 'ErrorItem', 'ErrorMessage'])
  })
})

describe("the reference's ?WSDL against the vendor's", () => {
  const referenceWsdl = async (deviations: string[] = []): Promise<string> => {
    const r = deviations.length ? await startReference({ deviations }) : ref
    try {
      return await (await fetch(`${r.url}${LIVE}?WSDL`)).text()
    } finally {
      if (r !== ref) await r.close()
    }
  }
  const vendor = () => wsdlFacts(readFileSync(VENDOR_WSDL, 'utf8'))
  const breaking = (changes: WsdlChange[]) => changes.filter((c) => c.severity === 'breaking')

  test('no client-visible difference for the four user operations: only the address moved (the reference serves this profile under /live)', async () => {
    const changes = wsdlDrift(vendor(), wsdlFacts(await referenceWsdl()))
    expect(breaking(changes)).toEqual([])
    expect(changes.map((c) => [c.fact, c.baseline, c.candidate])).toEqual([
      ['soap11 endpoint path', '/v4.1/prod/ECGridOS.asmx', LIVE],
      ['soap12 endpoint path', '/v4.1/prod/ECGridOS.asmx', LIVE],
    ])
  })

  test("the same diff sees a WSDL in the documentation pages' namespace as breaking (el-wsdl-seed-namespace)", async () => {
    const changes = breaking(wsdlDrift(vendor(), wsdlFacts(await referenceWsdl(['el-wsdl-seed-namespace']))))
    expect(changes.map((c) => c.fact)).toEqual(expect.arrayContaining(['targetNamespace', 'soap11 UserUpdate soapAction', 'soap12 Login soapAction']))
  })
})
